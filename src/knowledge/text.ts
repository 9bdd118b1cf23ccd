/** Lowercases, strips accents and punctuation, and collapses spaces: "  Skill-Set?! " → "skill set". */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/['’]/g, '')
      // [^<>]: an unclosed "<<<<…" is scanned once, not once per "<".
      .replace(/<[^<>]*>/g, ' ')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
  );
}

export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized ? normalized.split(' ') : [];
}

/** A light plural fold so "skill" matches "skills" and "industries" matches "industry". */
export function foldPlural(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  // "launches", "pushes", "boxes": the plural adds -es.
  if (token.length > 5 && /(ch|sh|x|ss)es$/.test(token)) return token.slice(0, -2);
  if (token.length >= 3 && token.endsWith('s') && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

/**
 * Phrases (as token lists) mapped to values, for longest-match lookup in a token stream. Indexed by first token,
 * so a lookup costs the phrases that start with that token, not every length up to the longest phrase.
 */
export class PhraseTable<V> {
  private readonly byFirst = new Map<string, { tokens: string[]; value: V }[]>();

  /** Adds a phrase unless it is empty or already present (the first value wins); true when added. */
  add(tokens: readonly string[], value: V): boolean {
    const [first] = tokens;
    if (first === undefined) return false;
    const list = this.byFirst.get(first) ?? [];
    if (
      list.some(
        (phrase) => phrase.tokens.length === tokens.length && phrase.tokens.every((t, i) => t === tokens[i]),
      )
    )
      return false;
    list.push({ tokens: [...tokens], value });
    // Longest first; equal lengths keep their order of addition.
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    this.byFirst.set(first, list);
    return true;
  }

  has(tokens: readonly string[]): boolean {
    return (this.byFirst.get(tokens[0] ?? '') ?? []).some(
      (phrase) => phrase.tokens.length === tokens.length && phrase.tokens.every((t, i) => t === tokens[i]),
    );
  }

  /** The longest phrase starting at `start`, with its length in tokens. */
  matchAt(tokens: readonly string[], start: number): { value: V; length: number } | undefined {
    for (const phrase of this.byFirst.get(tokens[start] ?? '') ?? []) {
      if (start + phrase.tokens.length > tokens.length) continue;
      if (phrase.tokens.every((token, offset) => tokens[start + offset] === token))
        return { value: phrase.value, length: phrase.tokens.length };
    }
    return undefined;
  }
}
