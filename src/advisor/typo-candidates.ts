/**
 * The words of a dictionary that could be a typo's correction, found without scanning the dictionary.
 *
 * A word within `k` ≤ 2 edits of a dictionary word shares one of that word's three segments (its thirds) exactly,
 * shifted by at most `k` places: each edit touches at most one segment, so one of the three is left whole, and
 * the insertions and deletions before it move it by at most `k`. A swap of two neighbouring letters touches at
 * most two segments and moves none. So the dictionary is indexed by (length, first letter, segment number,
 * segment), three keys a word, and a lookup tries each length within `k`, each segment and each shift: at most
 * 75 keys, however large the dictionary. The candidates are a superset of the words within reach; the caller
 * measures each one.
 */
export class TypoCandidates {
  /** Every indexed word, in the order added: a candidate's position says which came first. */
  private readonly words: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly bySegment = new Map<string, number[]>();

  constructor(
    words: Iterable<string>,
    /** Words shorter than this are never candidates and are not indexed. */
    private readonly minLength: number,
  ) {
    for (const word of words) {
      if (this.position.has(word)) continue;
      this.position.set(word, this.words.length);
      if (word.length < minLength) {
        this.words.push(word);
        continue;
      }
      const id = this.words.length;
      this.words.push(word);
      const thirds = segments(word.length);
      for (let segment = 0; segment < 3; segment++) {
        const [start, end] = thirds[segment] ?? [0, 0];
        const key = segmentKey(word.length, word[0] ?? '', segment, word.slice(start, end));
        const list = this.bySegment.get(key);
        if (list) list.push(id);
        else this.bySegment.set(key, [id]);
      }
    }
  }

  /**
   * The indexed words with the same first letter as `word` whose length is within `edits` of its own and that
   * share a segment with it as a word within `edits` edits (or one swap of neighbouring letters) would: in the
   * order they were added.
   */
  sameFirstLetter(word: string, edits: number): string[] {
    const found = new Set<number>();
    const first = word[0] ?? '';
    const from = Math.max(this.minLength, word.length - edits);
    for (let length = from; length <= word.length + edits; length++) {
      const thirds = segments(length);
      for (let segment = 0; segment < 3; segment++) {
        const [start, end] = thirds[segment] ?? [0, 0];
        const size = end - start;
        for (let shift = -edits; shift <= edits; shift++) {
          const at = start + shift;
          if (at < 0 || at + size > word.length) continue;
          const list = this.bySegment.get(segmentKey(length, first, segment, word.slice(at, at + size)));
          if (list) for (const id of list) found.add(id);
        }
      }
    }
    return [...found].sort((a, b) => a - b).map((id) => this.words[id] ?? '');
  }

  /** Whether the word was indexed (of any length). */
  has(word: string): boolean {
    return this.position.has(word);
  }
}

/** The three segments of a word of this length: [start, end) each, near-equal, none empty from length 3. */
function segments(length: number): [number, number][] {
  const a = Math.floor(length / 3);
  const b = Math.floor((2 * length) / 3);
  return [
    [0, a],
    [a, b],
    [b, length],
  ];
}

function segmentKey(length: number, first: string, segment: number, text: string): string {
  return `${length} ${first} ${segment} ${text}`;
}
