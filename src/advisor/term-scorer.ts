/** BM25+ parameters, as MiniSearch uses them (k1, b, and the lower bound δ of BM25+). */
const K = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** A term's precomputed relevance per document, over all its fields: `scores[i]` is document `docs[i]`'s. */
interface Postings {
  docs: Int32Array;
  scores: Float64Array;
}

/**
 * Full-text relevance over a fixed set of documents (BM25+ per field, weighted by field boosts, times the number
 * of query terms a document matches). Every term's score per document is computed once, when the knowledge is
 * loaded, so a query costs the postings of its terms: with a few hundred entries, microseconds. The query's
 * working arrays are kept between queries (a query clears what it touched), and only the best `limit` documents
 * are kept in order, so a query allocates nothing in proportion to the number of documents.
 */
export class TermScorer {
  private readonly postings = new Map<string, Postings>();
  private readonly size: number;
  /** Per document, during a query: its summed score and how many query terms it matched. Zero between queries. */
  private readonly score: Float64Array;
  private readonly matched: Uint16Array;
  /** The documents a query reached, in the order it reached them. */
  private readonly reached: Int32Array;

  /** `documents[d][f]` are the terms of field `f` of document `d`; `boosts[f]` weighs field `f`. */
  constructor(documents: readonly (readonly string[])[][], boosts: readonly number[]) {
    this.size = documents.length;
    this.score = new Float64Array(this.size);
    this.matched = new Uint16Array(this.size);
    this.reached = new Int32Array(this.size);
    const fields = boosts.length;
    const averageLength = Array.from({ length: fields }, (_, field) => {
      const total = documents.reduce((sum, document) => sum + (document[field]?.length ?? 0), 0);
      return total / Math.max(1, documents.length);
    });
    // Per field: term → document → frequency.
    const frequencies = Array.from({ length: fields }, () => new Map<string, Map<number, number>>());
    documents.forEach((document, doc) => {
      for (let field = 0; field < fields; field++) {
        for (const term of document[field] ?? []) {
          const byDoc = frequencies[field]?.get(term) ?? new Map<number, number>();
          byDoc.set(doc, (byDoc.get(doc) ?? 0) + 1);
          frequencies[field]?.set(term, byDoc);
        }
      }
    });
    const scores = new Map<string, Map<number, number>>();
    frequencies.forEach((byTerm, field) => {
      const boost = boosts[field] ?? 1;
      const average = averageLength[field] || 1;
      for (const [term, byDoc] of byTerm) {
        const idf = Math.log(1 + (this.size - byDoc.size + 0.5) / (byDoc.size + 0.5));
        const perDoc = scores.get(term) ?? new Map<number, number>();
        for (const [doc, frequency] of byDoc) {
          const length = documents[doc]?.[field]?.length ?? 0;
          const bm25 =
            idf * (DELTA + (frequency * (K + 1)) / (frequency + K * (1 - B + (B * length) / average)));
          perDoc.set(doc, (perDoc.get(doc) ?? 0) + boost * bm25);
        }
        scores.set(term, perDoc);
      }
    });
    for (const [term, perDoc] of scores) {
      const postings = { docs: new Int32Array(perDoc.size), scores: new Float64Array(perDoc.size) };
      let i = 0;
      for (const [doc, score] of perDoc) {
        postings.docs[i] = doc;
        postings.scores[i] = score;
        i++;
      }
      this.postings.set(term, postings);
    }
  }

  /**
   * The best `limit` documents for the terms (of those `accept` lets through), best first; ties keep the order the
   * terms reached them.
   */
  top(
    terms: readonly string[],
    limit: number,
    accept: (doc: number) => boolean = () => true,
  ): { doc: number; score: number }[] {
    const { score, matched, reached } = this;
    let count = 0;
    try {
      for (const term of new Set(terms)) {
        const postings = this.postings.get(term);
        if (!postings) continue;
        const { docs, scores } = postings;
        // The hot loop: every index is in bounds by construction (`?? 0` here costs a third of the loop).
        for (let i = 0; i < docs.length; i++) {
          const doc = docs[i] as number;
          if (matched[doc] === 0) reached[count++] = doc;
          score[doc] = (score[doc] as number) + (scores[i] as number);
          matched[doc] = (matched[doc] as number) + 1;
        }
      }
      // The best `limit`, best first; of equal scores, the one reached first (as a stable sort of all would).
      const bestDocs: number[] = [];
      const bestTotals: number[] = [];
      for (let i = 0; i < count; i++) {
        const doc = reached[i] ?? 0;
        const total = (score[doc] ?? 0) * (matched[doc] ?? 0);
        if (bestDocs.length === limit && total <= (bestTotals[limit - 1] ?? 0)) continue;
        if (!accept(doc)) continue;
        // After every kept one that scores at least as much; the worst falls off the end when full.
        let at = Math.min(bestDocs.length, limit - 1);
        while (at > 0 && (bestTotals[at - 1] ?? 0) < total) {
          bestDocs[at] = bestDocs[at - 1] ?? 0;
          bestTotals[at] = bestTotals[at - 1] ?? 0;
          at--;
        }
        bestDocs[at] = doc;
        bestTotals[at] = total;
      }
      return bestDocs.map((doc, i) => ({ doc, score: bestTotals[i] ?? 0 }));
    } finally {
      for (let i = 0; i < count; i++) {
        const doc = reached[i] ?? 0;
        score[doc] = 0;
        matched[doc] = 0;
      }
    }
  }
}
