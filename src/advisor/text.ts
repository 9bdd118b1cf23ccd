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
