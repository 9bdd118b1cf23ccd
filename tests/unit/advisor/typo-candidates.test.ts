import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { distance } from 'fastest-levenshtein';
import { TypoCandidates } from '../../../src/advisor/typo-candidates.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { normalizeText } from '../../../src/knowledge/text.js';
import { projectRoot } from '../../../src/paths.js';

/** The words within reach of a typo, found the slow way: every word measured. */
function withinReach(
  dictionary: readonly string[],
  word: string,
  edits: number,
  minLength: number,
): string[] {
  return dictionary.filter(
    (candidate) =>
      candidate.length >= minLength &&
      candidate[0] === word[0] &&
      Math.abs(candidate.length - word.length) <= edits &&
      (distance(candidate, word) <= edits || swapsNeighbours(candidate, word)),
  );
}

function swapsNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differing = [...a].flatMap((char, index) => (char === b[index] ? [] : [index]));
  const [first, second] = differing;
  return (
    differing.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    a[first] === b[second] &&
    a[second] === b[first]
  );
}

/** A seeded PRNG, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** One to three random edits of a word: deletions, insertions, substitutions and swaps of neighbours. */
function mistype(word: string, next: () => number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let typo = word;
  const edits = 1 + Math.floor(next() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * typo.length);
    const letter = letters[Math.floor(next() * letters.length)] ?? 'e';
    const kind = Math.floor(next() * 4);
    if (kind === 0) typo = typo.slice(0, at) + typo.slice(at + 1);
    else if (kind === 1) typo = typo.slice(0, at) + letter + typo.slice(at);
    else if (kind === 2) typo = typo.slice(0, at) + letter + typo.slice(at + 1);
    else if (at + 1 < typo.length) typo = typo.slice(0, at) + typo[at + 1] + typo[at] + typo.slice(at + 2);
  }
  return typo;
}

let dictionary: string[];

beforeAll(async () => {
  const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  const text = knowledge.entries.map((entry) => [entry.title, entry.body, ...entry.keywords].join(' '));
  dictionary = [...new Set(normalizeText(text.join(' ')).split(' '))].filter((word) => word.length >= 3);
});

describe('TypoCandidates', () => {
  it('finds every word within reach of thousands of typos, and only words with the same first letter, in order', () => {
    const candidates = new TypoCandidates(dictionary, 5);
    const next = random(13);
    let compared = 0;
    for (let i = 0; i < 4_000; i++) {
      const word = dictionary[Math.floor(next() * dictionary.length)] ?? '';
      const typo = mistype(word, next);
      if (typo.length < 6) continue;
      const edits: 1 | 2 = typo.length >= 9 ? 2 : 1;
      const found = candidates.sameFirstLetter(typo, edits);
      const reach = withinReach(dictionary, typo, edits, 5);
      // A superset of the words within reach, in dictionary order.
      expect([typo, reach.filter((candidate) => !found.includes(candidate))]).toEqual([typo, []]);
      expect(found.every((candidate) => candidate[0] === typo[0])).toBe(true);
      const positions = found.map((candidate) => dictionary.indexOf(candidate));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      compared++;
    }
    expect(compared).toBeGreaterThan(2_000);
  });

  it('finds a swap of neighbouring letters with one edit allowed, and a word one letter longer or shorter', () => {
    const candidates = new TypoCandidates(['product', 'products', 'produce', 'roadmap'], 5);
    expect(candidates.sameFirstLetter('prodcut', 1)).toContain('product');
    expect(candidates.sameFirstLetter('produt', 1)).toEqual(expect.arrayContaining(['product', 'produce']));
    expect(candidates.sameFirstLetter('productss', 1)).toContain('products');
    expect(candidates.sameFirstLetter('rpoduct', 1)).toEqual([]);
  });

  it('finds a word edited at either end: its first letter doubled, a letter added or dropped at the end', () => {
    const candidates = new TypoCandidates(['product', 'responsibilities'], 5);
    for (const typo of ['pproduct', 'productt', 'productx', 'produc', 'prduct', 'poduct']) {
      expect([typo, candidates.sameFirstLetter(typo, 1)]).toEqual([typo, ['product']]);
    }
    for (const typo of [
      'rresponsibilities',
      'rrresponsibilities',
      'responsibilitiess',
      'responsibilitiesxx',
      'responsibiliti',
      'rsponsibilitie',
      'respnsibilties',
    ]) {
      expect([typo, candidates.sameFirstLetter(typo, 2)]).toEqual([typo, ['responsibilities']]);
    }
  });

  it('does not index words shorter than its minimum', () => {
    const candidates = new TypoCandidates(['plan', 'plain', 'plans'], 5);
    expect(candidates.sameFirstLetter('plains', 1)).toEqual(['plain', 'plans']);
    expect(candidates.sameFirstLetter('plann', 1)).not.toContain('plan');
    expect(candidates.has('plan')).toBe(true);
  });
});
