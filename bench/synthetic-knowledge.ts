import { eng as englishStopWords } from 'stopword';
import type { Entry, Knowledge } from '../src/knowledge/knowledge.js';

/**
 * A larger knowledge store made from today's, for measuring how Q&A cost grows with the knowledge. Generated in
 * memory, the same for the same size and seed; never written anywhere.
 *
 * The store keeps every real entry and adds copies of them until it holds `size` entries. A copy keeps its
 * original's shape (title, stated questions, keywords, body, roles, verdict, dimension, sources; related ids point
 * at the same copy round's entries) and gets a new id, but about a third of its content words are swapped:
 * 60 % for a word drawn from the real entries' running text (so common words stay common) and 40 % for a coined
 * word. Each copy coins three new words, spliced from the start of one real word and the end of another
 * ("stakeholder" + "pricing" → "stakecing"), so the vocabulary grows with the store as real knowledge does
 * (about 3 new words per entry), with words that look like the real ones and start with the same letters: typo
 * correction, full-text search and fitting all meet more, and closer, words as the store grows. The real
 * questions still reach the copies (two thirds of a copy's words are its original's), so the matcher fits
 * many more candidates, not just a bigger index.
 */
export function syntheticKnowledge(knowledge: Knowledge, size: number, seed = 13): Knowledge {
  if (size <= knowledge.entries.length) return knowledge;
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const stop = new Set(englishStopWords);
  const words = knowledge.entries.flatMap((entry) =>
    [entry.title, entry.body, ...entry.questions, ...entry.keywords]
      .join(' ')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((word) => word.length >= 4 && !stop.has(word)),
  );
  const coined: string[] = [];
  const coin = () => {
    const head = pick(words);
    const tail = pick(words);
    const word = head.slice(0, 3 + Math.floor(random() * 3)) + tail.slice(-(3 + Math.floor(random() * 3)));
    coined.push(word);
  };
  const vary = (text: string) =>
    text.replace(/[A-Za-z]{4,}/g, (word) => {
      if (stop.has(word.toLowerCase()) || random() >= 0.33) return word;
      const replacement = random() < 0.6 || coined.length === 0 ? pick(words) : pick(coined);
      return /^[A-Z]/.test(word) ? replacement[0]?.toUpperCase() + replacement.slice(1) : replacement;
    });

  const entries: Entry[] = [...knowledge.entries];
  const real = knowledge.entries.length;
  const position = new Map(knowledge.entries.map((entry, i) => [entry.id, i]));
  for (let round = 1; entries.length < size; round++) {
    const copyId = (id: string) => `${id}-x${round}`;
    // A related entry's copy of this round, when the store reaches it (the last round may be partial).
    const relatedId = (id: string) => {
      const i = position.get(id);
      return i !== undefined && real * round + i < size ? copyId(id) : id;
    };
    for (const entry of knowledge.entries) {
      if (entries.length >= size) break;
      coin();
      coin();
      coin();
      entries.push({
        ...entry,
        id: copyId(entry.id),
        title: vary(entry.title),
        questions: entry.questions.map(vary),
        body: vary(entry.body),
        keywords: entry.keywords.map(vary),
        related: entry.related.map(relatedId),
      });
    }
  }
  return { ...knowledge, entries, entriesById: new Map(entries.map((entry) => [entry.id, entry])) };
}

/** A small seeded PRNG (mulberry32): the same store on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
