import { distance } from 'fastest-levenshtein';
import type { Dimension, Knowledge } from '../knowledge/knowledge.js';
import { foldPlural, tokenize } from './text.js';

/** Words of `/pm-compare` that are not dimensions. Help is generated from this list and the knowledge. */
export const compareSubcommands = [
  { id: 'help', terms: ['help', 'usage', '?'], description: 'show this help' },
  {
    id: 'overview',
    terms: ['overview', 'all', 'both', 'everything', 'summary'],
    description: 'both roles side by side',
  },
  { id: 'quiz', terms: ['quiz', 'questionnaire'], description: 'a short career conversation in a DM' },
] as const;

export type CompareRequest =
  | { kind: 'overview' }
  | { kind: 'help' }
  | { kind: 'quiz' }
  | { kind: 'dimension'; dimension: Dimension }
  | { kind: 'unknown'; input: string; suggestion?: Dimension };

/** Words people put around the dimension ("show me the skills please") that never decide anything. */
const FILLER = new Set(
  'a an the me my please show tell about on of for in and or to what whats is are their its compare comparison vs versus between pm pms role roles'.split(
    ' ',
  ),
);

interface Term {
  tokens: string[];
  dimension: Dimension;
}

function dimensionTerms(knowledge: Knowledge): Term[] {
  return knowledge.dimensions.flatMap((dimension) =>
    [dimension.id, dimension.title, ...dimension.aliases].map((term) => ({
      tokens: tokenize(term).map(foldPlural),
      dimension,
    })),
  );
}

function findExact(tokens: string[], terms: Term[]): Dimension | undefined {
  let best: { term: Term; start: number } | undefined;
  for (const term of terms) {
    if (term.tokens.length === 0) continue;
    for (let start = 0; start + term.tokens.length <= tokens.length; start++) {
      if (!term.tokens.every((token, offset) => tokens[start + offset] === token)) continue;
      const better =
        !best ||
        term.tokens.length > best.term.tokens.length ||
        (term.tokens.length === best.term.tokens.length && start < best.start);
      if (better) best = { term, start };
    }
  }
  return best?.term.dimension;
}

function findNearest(tokens: string[], terms: Term[]): Dimension | undefined {
  let best: { dimension: Dimension; score: number } | undefined;
  const candidates = tokens.filter((token) => token.length >= 3 && !FILLER.has(token));
  const phrase = candidates.join(' ');
  for (const term of terms) {
    const target = term.tokens.join(' ');
    if (target.length < 3) continue;
    for (const candidate of [...candidates, phrase]) {
      if (!candidate) continue;
      const edits = distance(candidate, target);
      const allowed = target.length >= 8 ? 3 : target.length >= 5 ? 2 : 1;
      if (edits > allowed) continue;
      const score = edits / target.length;
      if (!best || score < best.score) best = { dimension: term.dimension, score };
    }
  }
  return best?.dimension;
}

function subcommandTerms(id: (typeof compareSubcommands)[number]['id']): readonly string[] {
  return compareSubcommands.find((command) => command.id === id)?.terms ?? [];
}

/**
 * Understands the text after `/pm-compare`: case, surrounding spaces, plurals and extra words are tolerated.
 * Subcommand words (help, overview…) win over dimension aliases.
 */
export function parseCompareRequest(text: string, knowledge: Knowledge): CompareRequest {
  const input = text.trim();
  const helpTerms = subcommandTerms('help');
  if (helpTerms.includes(input)) return { kind: 'help' };
  const rawTokens = tokenize(text);
  if (rawTokens.length === 0) return input ? { kind: 'unknown', input } : { kind: 'overview' };
  if (rawTokens.some((token) => helpTerms.includes(token))) return { kind: 'help' };

  const tokens = rawTokens.map(foldPlural);
  if (tokens.some((token) => subcommandTerms('quiz').includes(token))) return { kind: 'quiz' };
  const meaningful = tokens.filter((token) => !FILLER.has(token));
  const overviewTerms = subcommandTerms('overview');
  if (meaningful.length === 0 || meaningful.every((token) => overviewTerms.includes(token)))
    return { kind: 'overview' };

  const terms = dimensionTerms(knowledge);
  const dimension = findExact(tokens, terms);
  if (dimension) return { kind: 'dimension', dimension };
  return { kind: 'unknown', input, suggestion: findNearest(tokens, terms) };
}
