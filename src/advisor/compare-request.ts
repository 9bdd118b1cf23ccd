import { distance } from 'fastest-levenshtein';
import type { Dimension, Knowledge, Role } from '../knowledge/knowledge.js';
import { foldPlural, tokenize } from '../knowledge/text.js';

/** Words of `/pm-compare` that are not dimensions. Help is generated from this list and the knowledge. */
export const compareSubcommands = [
  { id: 'help', terms: ['help', 'usage', '?'], description: 'show this help' },
  {
    id: 'overview',
    terms: ['overview', 'all', 'both', 'everything', 'summary'],
    description: 'two roles side by side',
  },
  { id: 'quiz', terms: ['quiz', 'questionnaire'], description: 'a short career questionnaire in a DM' },
] as const;

/** The two roles a comparison shows, in column order. */
export type RolePair = readonly [Role, Role];

/** What a comparison shows: two roles, on every dimension (the overview) or on one. */
export interface CompareTarget {
  roles: RolePair;
  dimension?: Dimension;
}

export type CompareRequest =
  | { kind: 'overview'; roles: RolePair }
  | { kind: 'help' }
  | { kind: 'quiz' }
  | { kind: 'dimension'; dimension: Dimension; roles: RolePair }
  /** A title that names more than one role ("tpm"): each choice is a comparison to offer. */
  | { kind: 'ambiguous'; term: string; choices: CompareTarget[] }
  | { kind: 'unknown'; input: string; suggestion?: Dimension };

/** The paths compared when no role is named: the first two. */
export function defaultPair(knowledge: Pick<Knowledge, 'paths'>): RolePair {
  const [first, second] = knowledge.paths;
  if (!first || !second) throw new Error('the knowledge needs two path roles');
  return [first, second];
}

/**
 * A role named alone is compared with its counterpart: a path with the other path, a nearby role with the last path
 * (product management in general, for a product owner or a TPM).
 */
function counterpart(knowledge: Pick<Knowledge, 'paths'>, role: Role): Role {
  const paths = role.path ? knowledge.paths : [...knowledge.paths].reverse();
  const other = paths.find((candidate) => candidate.id !== role.id);
  if (!other) throw new Error('the knowledge needs two path roles');
  return other;
}

interface RoleTerm {
  tokens: string[];
  roles: Role[];
}

/** Every way to name a role (id, names, aliases), folded; a term several roles share names them all. */
function roleTerms(knowledge: Pick<Knowledge, 'roles'>): RoleTerm[] {
  const byKey = new Map<string, RoleTerm>();
  for (const role of knowledge.roles) {
    for (const term of [role.id, role.name, role.person, role.shortName, ...role.aliases]) {
      const tokens = tokenize(term).map(foldPlural);
      const key = tokens.join(' ');
      // "it" alone names IT PM in a question, but in "/pm-compare what is it" it is just a word.
      if (!key || tokens.every((token) => FILLER.has(token))) continue;
      const known = byKey.get(key) ?? { tokens, roles: [] };
      if (!known.roles.includes(role)) known.roles.push(role);
      byKey.set(key, known);
    }
  }
  return [...byKey.values()].sort((a, b) => b.tokens.length - a.tokens.length);
}

interface RoleMention {
  term: string;
  roles: Role[];
}

/** The roles named in the tokens, longest term first at each place, and the tokens left over. */
function findRoles(tokens: string[], terms: RoleTerm[]): { mentions: RoleMention[]; rest: string[] } {
  const mentions: RoleMention[] = [];
  const rest: string[] = [];
  for (let start = 0; start < tokens.length; ) {
    const term = terms.find(
      (candidate) =>
        start + candidate.tokens.length <= tokens.length &&
        candidate.tokens.every((token, offset) => tokens[start + offset] === token),
    );
    if (term) {
      mentions.push({ term: term.tokens.join(' '), roles: term.roles });
      start += term.tokens.length;
    } else {
      rest.push(tokens[start] ?? '');
      start++;
    }
  }
  return { mentions, rest };
}

/**
 * The pair the mentions name: the first two distinct roles, or one with its counterpart, or the default pair. A
 * mention that names several roles makes the request ambiguous: one choice each.
 */
function pairFor(
  knowledge: Pick<Knowledge, 'paths'>,
  mentions: RoleMention[],
  dimension: Dimension | undefined,
): CompareRequest {
  const ambiguous = mentions.find((mention) => mention.roles.length > 1);
  if (ambiguous) {
    const others = mentions
      .filter((mention) => mention !== ambiguous && mention.roles.length === 1)
      .flatMap((mention) => mention.roles);
    // "pm-t vs tpm": the role already named is not what the ambiguous title means.
    const meant = ambiguous.roles.filter((role) => !others.includes(role));
    const [only] = meant;
    if (meant.length === 1 && only) {
      const resolved = mentions.map((mention) =>
        mention === ambiguous ? { ...mention, roles: [only] } : mention,
      );
      return pairFor(knowledge, resolved, dimension);
    }
    const choices = meant.map((role): CompareTarget => {
      const other = others.find((candidate) => candidate.id !== role.id);
      return { roles: [role, other ?? counterpart(knowledge, role)], ...(dimension ? { dimension } : {}) };
    });
    return { kind: 'ambiguous', term: ambiguous.term, choices };
  }
  const named = [...new Set(mentions.flatMap((mention) => mention.roles))];
  const [first, second] = named;
  // No role, or one path alone ("pm skills"), compares the paths; another role alone is set against its counterpart.
  const roles: RolePair =
    !first || (!second && first.path)
      ? defaultPair(knowledge)
      : [first, second ?? counterpart(knowledge, first)];
  return dimension ? { kind: 'dimension', dimension, roles } : { kind: 'overview', roles };
}

/** The ids that name a comparison (a button carries them): its dimension, if any, and its two roles. */
export interface CompareTargetIds {
  dimensionId?: string;
  roleIds?: [string, string];
}

export function compareTargetIds(target: CompareTarget): CompareTargetIds {
  return {
    ...(target.dimension ? { dimensionId: target.dimension.id } : {}),
    roleIds: [target.roles[0].id, target.roles[1].id],
  };
}

/**
 * The comparison some ids name; without role ids (buttons posted before roles could be chosen) the default pair.
 * Undefined when the knowledge no longer has a role or dimension they name.
 */
export function resolveCompareTarget(
  ids: CompareTargetIds,
  knowledge: Pick<Knowledge, 'paths' | 'rolesById' | 'dimensionsById'>,
): CompareTarget | undefined {
  const dimension = ids.dimensionId === undefined ? undefined : knowledge.dimensionsById.get(ids.dimensionId);
  if (ids.dimensionId !== undefined && !dimension) return undefined;
  let roles = defaultPair(knowledge);
  if (ids.roleIds) {
    const first = knowledge.rolesById.get(ids.roleIds[0]);
    const second = knowledge.rolesById.get(ids.roleIds[1]);
    if (!first || !second) return undefined;
    roles = [first, second];
  }
  return { roles, ...(dimension ? { dimension } : {}) };
}

/** Words people put around the roles and the dimension ("show me the skills please") that never decide anything. */
const FILLER = new Set(
  'a an the me my please show tell about on of for in and or to with what whats is are it their its compare comparison vs versus v between difference differences role roles'.split(
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
  if (rawTokens.length === 0) return input ? { kind: 'unknown', input } : pairFor(knowledge, [], undefined);
  if (rawTokens.some((token) => helpTerms.includes(token))) return { kind: 'help' };

  const tokens = rawTokens.map(foldPlural);
  if (tokens.some((token) => subcommandTerms('quiz').includes(token))) return { kind: 'quiz' };
  const { mentions, rest } = findRoles(tokens, roleTerms(knowledge));
  const meaningful = rest.filter((token) => !FILLER.has(token));
  const overviewTerms = subcommandTerms('overview');
  if (meaningful.length === 0 || meaningful.every((token) => overviewTerms.includes(token)))
    return pairFor(knowledge, mentions, undefined);

  const terms = dimensionTerms(knowledge);
  const dimension = findExact(rest, terms);
  if (dimension) return pairFor(knowledge, mentions, dimension);
  return { kind: 'unknown', input, suggestion: findNearest(rest, terms) };
}
