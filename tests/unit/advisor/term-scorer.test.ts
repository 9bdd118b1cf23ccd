import { describe, expect, it } from '@jest/globals';
import { TermScorer } from '../../../src/advisor/term-scorer.js';

/**
 * The ranking as first written: every reached document scored in fresh arrays, all of them sorted. The scorer
 * keeps its arrays between queries and keeps only the best; it must rank exactly as this does.
 */
function referenceScorer(documents: string[][][], boosts: number[]) {
  const K = 1.2;
  const B = 0.7;
  const DELTA = 0.5;
  const size = documents.length;
  const averageLength = boosts.map((_, field) => {
    const total = documents.reduce((sum, document) => sum + (document[field]?.length ?? 0), 0);
    return total / Math.max(1, size);
  });
  const frequencies = boosts.map(() => new Map<string, Map<number, number>>());
  documents.forEach((document, doc) => {
    for (let field = 0; field < boosts.length; field++) {
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
      const idf = Math.log(1 + (size - byDoc.size + 0.5) / (byDoc.size + 0.5));
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
  return (terms: string[], limit: number, accept: (doc: number) => boolean = () => true) => {
    const score = new Float64Array(size);
    const matched = new Uint16Array(size);
    const reached: number[] = [];
    for (const term of new Set(terms)) {
      for (const [doc, termScore] of scores.get(term) ?? []) {
        if (matched[doc] === 0) reached.push(doc);
        score[doc] = (score[doc] ?? 0) + termScore;
        matched[doc] = (matched[doc] ?? 0) + 1;
      }
    }
    return reached
      .filter(accept)
      .map((doc) => ({ doc, score: (score[doc] ?? 0) * (matched[doc] ?? 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  };
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('TermScorer.top', () => {
  it('ranks as a full sort of every reached document would, ties in the order reached, query after query', () => {
    const next = random(7);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const word = () => vocabulary[Math.floor(next() ** 2 * vocabulary.length)] ?? 't0';
    const boosts = [2, 2.5, 2, 1];
    // Many short, similar documents, and some exact copies: equal scores are common.
    const documents: string[][][] = [];
    for (let doc = 0; doc < 300; doc++) {
      const copy = doc > 10 && next() < 0.2 ? documents[Math.floor(next() * doc)] : undefined;
      documents.push(copy ?? boosts.map(() => Array.from({ length: 1 + Math.floor(next() * 8) }, word)));
    }
    const scorer = new TermScorer(documents, boosts);
    const reference = referenceScorer(documents, boosts);
    let ties = 0;
    let compared = 0;
    for (let query = 0; query < 500; query++) {
      const terms = Array.from({ length: 1 + Math.floor(next() * 6) }, word);
      if (next() < 0.1) terms.push('unknown');
      const limit = [0, 1, 3, 12, 12, 1_000][Math.floor(next() * 6)] ?? 12;
      const modulus = 1 + Math.floor(next() * 4);
      const accept = next() < 0.5 ? (doc: number) => doc % modulus === 0 : undefined;
      const expected = reference(terms, limit, accept);
      expect([terms, limit, scorer.top(terms, limit, accept)]).toEqual([terms, limit, expected]);
      ties += expected.filter((found, i) => found.score === expected[i - 1]?.score).length;
      compared++;
    }
    expect(compared).toBe(500);
    // The order of equal scores was put to the test.
    expect(ties).toBeGreaterThan(100);
  });

  it('answers the next query right after an accept that throws', () => {
    const scorer = new TermScorer([[['a', 'b']], [['b']], [['c']]], [1]);
    const before = scorer.top(['a', 'b'], 3);
    expect(() =>
      scorer.top(['a', 'b'], 3, () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(scorer.top(['a', 'b'], 3)).toEqual(before);
  });
});
