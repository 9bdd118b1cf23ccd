/** BM25+ parameters, as MiniSearch uses them (k1, b, and the lower bound δ of BM25+). */
const K = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** One document's precomputed relevance for a term, over all its fields. */
interface Posting {
  doc: number;
  score: number;
}

/**
 * Full-text relevance over a fixed set of documents (BM25+ per field, weighted by field boosts, times the number
 * of query terms a document matches). Every term's score per document is computed once, when the knowledge is
 * loaded, so a query costs the postings of its terms: with a few hundred entries, microseconds.
 */
export class TermScorer {
  private readonly postings = new Map<string, Posting[]>();
  private readonly size: number;

  /** `documents[d][f]` are the terms of field `f` of document `d`; `boosts[f]` weighs field `f`. */
  constructor(documents: readonly (readonly string[])[][], boosts: readonly number[]) {
    this.size = documents.length;
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
      this.postings.set(
        term,
        [...perDoc].map(([doc, score]) => ({ doc, score })),
      );
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
    const score = new Float64Array(this.size);
    const matched = new Uint16Array(this.size);
    const reached: number[] = [];
    for (const term of new Set(terms)) {
      for (const posting of this.postings.get(term) ?? []) {
        if (matched[posting.doc] === 0) reached.push(posting.doc);
        score[posting.doc] = (score[posting.doc] ?? 0) + posting.score;
        matched[posting.doc] = (matched[posting.doc] ?? 0) + 1;
      }
    }
    return reached
      .filter(accept)
      .map((doc) => ({ doc, score: (score[doc] ?? 0) * (matched[doc] ?? 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
}
