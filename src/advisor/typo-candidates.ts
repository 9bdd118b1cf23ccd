/**
 * The words of a dictionary that could be a typo's correction, found without scanning the dictionary.
 *
 * A word within `k` edits of a dictionary word shares one of that word's `k + 1` segments exactly, shifted by at
 * most `k` places: each edit touches at most one segment, so one is left whole, and the insertions and deletions
 * before it move it by at most `k` (with those after it, by what the length difference leaves; the first segment,
 * when the first letters match, not at all). So the dictionary is indexed by (length, first letter, segment
 * number, segment): in halves for one edit, in thirds for two, five keys a word. A lookup tries each length within
 * `k`, each segment and each shift left (at most 8 keys for one edit, 23 for two), however large the dictionary; a
 * swap of neighbouring letters, which touches two segments, is looked up as it is (one key per place). The
 * candidates are a superset of the words within reach; the caller measures each one.
 */
export class TypoCandidates {
  /** Every indexed word, in the order added: a candidate's position says which came first. */
  private readonly words: string[] = [];
  private readonly position = new Map<string, number>();
  /** Per (parts, length, segment number): first letter and segment → the words that have them. */
  private readonly bySegment: (Map<string, number[]> | undefined)[] = [];

  constructor(
    words: Iterable<string>,
    /** Words shorter than this are never candidates and are not indexed. */
    private readonly minLength: number,
  ) {
    for (const word of words) {
      if (this.position.has(word)) continue;
      const id = this.words.length;
      this.position.set(word, id);
      this.words.push(word);
      if (word.length < minLength) continue;
      for (const parts of [2, 3] as const) {
        segments(word.length, parts).forEach(([start, end], segment) => {
          const slot = slotOf(parts, word.length, segment);
          const bucket = this.bySegment[slot] ?? new Map<string, number[]>();
          this.bySegment[slot] = bucket;
          const key = `${word[0] ?? ''}${word.slice(start, end)}`;
          const list = bucket.get(key);
          if (list) list.push(id);
          else bucket.set(key, [id]);
        });
      }
    }
  }

  /**
   * The indexed words with the same first letter as `word` that could be within `edits` (1 or 2) edits of it, or
   * one swap of neighbouring letters: every such word, and a few others, in the order they were added.
   */
  sameFirstLetter(word: string, edits: 1 | 2): string[] {
    const found = new Set<number>();
    const first = word[0] ?? '';
    const parts: 2 | 3 = edits === 1 ? 2 : 3;
    const from = Math.max(this.minLength, word.length - edits);
    for (let length = from; length <= word.length + edits; length++) {
      const bounds = segments(length, parts);
      const difference = word.length - length;
      for (let segment = 0; segment < parts; segment++) {
        const bucket = this.bySegment[slotOf(parts, length, segment)];
        const [start, end] = bounds[segment] ?? [0, 0];
        if (!bucket) continue;
        for (let shift = -edits; shift <= edits; shift++) {
          // The first segment never moves: the first letters match, so a closest alignment matches them and edits
          // nothing before it. Another moves by the edits before it, which with those after it (the rest of the
          // length difference) are at most `edits`.
          if (segment === 0 ? shift !== 0 : Math.abs(shift) + Math.abs(difference - shift) > edits) continue;
          const at = start + shift;
          if (at < 0 || at + end - start > word.length) continue;
          const list = bucket.get(`${first}${word.slice(at, at + end - start)}`);
          if (list) for (const id of list) found.add(id);
        }
      }
    }
    // A swap touches two neighbouring letters, which may lie in both halves: each swap (after the first letter) is
    // looked up whole. Two edits allow any swap already.
    if (edits === 1) {
      for (let at = 1; at + 1 < word.length; at++) {
        const swapped = `${word.slice(0, at)}${word[at + 1] ?? ''}${word[at] ?? ''}${word.slice(at + 2)}`;
        const id = this.position.get(swapped);
        if (id !== undefined && swapped.length >= this.minLength) found.add(id);
      }
    }
    return [...found].sort((a, b) => a - b).map((id) => this.words[id] ?? '');
  }

  /** Whether the word was indexed (of any length). */
  has(word: string): boolean {
    return this.position.has(word);
  }
}

/** Segment bounds by parts and length, worked out once. */
const SEGMENTS: [number, number][][][] = [];

/** The `parts` segments of a word of this length: [start, end) each, near-equal, none empty from length 3. */
function segments(length: number, parts: 2 | 3): readonly [number, number][] {
  const byLength = SEGMENTS[parts] ?? [];
  SEGMENTS[parts] = byLength;
  const known = byLength[length];
  if (known) return known;
  const bounds = Array.from({ length: parts }, (_, i): [number, number] => [
    Math.floor((i * length) / parts),
    Math.floor(((i + 1) * length) / parts),
  ]);
  byLength[length] = bounds;
  return bounds;
}

/** Where the words of one (parts, length, segment) are kept in `bySegment`. */
function slotOf(parts: 2 | 3, length: number, segment: number): number {
  return length * 8 + (parts - 2) * 4 + segment;
}
