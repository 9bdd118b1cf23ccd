import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { type Knowledge, KnowledgeError, type KnowledgeProblem } from './knowledge.js';
import { type KnowledgeFile, knowledgeFileSchema, type Section, type Source } from './schema.js';
import { foldPlural, tokenize } from './text.js';

export interface KnowledgeFileText {
  /** Name shown in error messages, e.g. "knowledge/roles.json". */
  file: string;
  text: string;
}

function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (acc, segment) => (typeof segment === 'number' ? `${acc}[${segment}]` : `${acc}.${String(segment)}`),
    '$',
  );
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is required (${issue.expected})`;
  return issue.message;
}

interface Located<T> {
  item: T;
  file: string;
  path: string;
}

/** How old the `as_of` of a time-sensitive entry's source may be. */
export const FRESH_MONTHS = 18;

/** The first day an `as_of` date is too old for a time-sensitive entry, seen from `now`. */
function staleBefore(now: Date): string {
  const limit = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - FRESH_MONTHS, now.getUTCDate()));
  return limit.toISOString().slice(0, 10);
}

/**
 * Validates and merges knowledge files; returns every problem found, not just the first. `now` dates the
 * freshness check of time-sensitive entries.
 */
export function buildKnowledge(files: readonly KnowledgeFileText[], now: Date = new Date()): Knowledge {
  const problems: KnowledgeProblem[] = [];
  const stale: KnowledgeProblem[] = [];
  const parsed: { file: string; data: KnowledgeFile }[] = [];

  for (const { file, text } of files) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ file, path: '$', message: `is not valid JSON (${(error as Error).message})` });
      continue;
    }
    const result = knowledgeFileSchema.safeParse(json);
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ file, path: jsonPath(issue.path), message: describeZodIssue(issue) });
      }
      continue;
    }
    parsed.push({ file, data: result.data });
  }
  if (problems.length > 0) throw new KnowledgeError(problems);

  const collect = <K extends keyof Omit<KnowledgeFile, '$comment' | 'scope'>>(kind: K) =>
    parsed.flatMap(({ file, data }) =>
      (data[kind] ?? []).map((item, index) => ({
        item: item as NonNullable<KnowledgeFile[K]>[number],
        file,
        path: `$.${kind}[${index}]`,
      })),
    );
  const sources = collect('sources');
  const roles = collect('roles');
  const dimensions = collect('dimensions');
  const entries = collect('entries');
  const factors = collect('factors');
  const synonyms = collect('synonyms');
  const principles = collect('principles');

  // Every id is unique across all kinds, so a reference can never be ambiguous.
  const seen = new Map<string, string>();
  const claim = (id: string, file: string, where: string) => {
    const first = seen.get(id);
    if (first) problems.push({ file, path: where, message: `duplicate id "${id}" (first used at ${first})` });
    else seen.set(id, `${file} ${where}`);
  };
  const sectionsById = new Map<string, { section: Section; source: Source }>();
  for (const { item, file, path: where } of sources) {
    claim(item.id, file, `${where}.id`);
    item.sections.forEach((section, index) => {
      claim(section.id, file, `${where}.sections[${index}].id`);
      sectionsById.set(section.id, { section, source: item });
    });
  }
  const claimAll = (list: Located<{ id: string }>[]) => {
    for (const { item, file, path: where } of list) claim(item.id, file, `${where}.id`);
  };
  claimAll(roles);
  claimAll(dimensions);
  claimAll(entries);
  claimAll(factors);
  claimAll(synonyms);
  claimAll(principles);
  for (const { item, file, path: where } of factors) {
    item.options.forEach((option, index) => {
      claim(option.id, file, `${where}.options[${index}].id`);
    });
  }

  const roleIds = new Set(roles.map(({ item }) => item.id));
  const dimensionIds = new Set(dimensions.map(({ item }) => item.id));
  const entryIds = new Set(entries.map(({ item }) => item.id));
  const expect = (known: Set<string>, what: string, ref: string, file: string, where: string) => {
    if (!known.has(ref)) problems.push({ file, path: where, message: `refers to unknown ${what} "${ref}"` });
  };
  const checkSources = ({ item, file, path: where }: Located<{ sources: string[] }>) => {
    item.sources.forEach((ref, index) => {
      if (!sectionsById.has(ref)) {
        problems.push({
          file,
          path: `${where}.sources[${index}]`,
          message: `refers to unknown source section "${ref}"`,
        });
      }
    });
  };

  if (sources.length === 0)
    problems.push({ file: '(knowledge folder)', path: '$', message: 'defines no sources' });
  const pathIds = new Set(roles.filter(({ item }) => item.path).map(({ item }) => item.id));
  if (pathIds.size < 2) {
    problems.push({
      file: '(knowledge folder)',
      path: '$',
      message: 'needs at least two path roles to compare',
    });
  }
  if (dimensions.length === 0)
    problems.push({ file: '(knowledge folder)', path: '$', message: 'defines no dimensions' });

  for (const located of roles) checkSources(located);
  for (const located of principles) checkSources(located);
  for (const located of dimensions) {
    const { item, file, path: where } = located;
    checkSources(located);
    for (const [roleId, cell] of Object.entries(item.roles)) {
      expect(roleIds, 'role', roleId, file, `${where}.roles.${roleId}`);
      checkSources({ item: cell, file, path: `${where}.roles.${roleId}` });
    }
    // A path role has a cell in every dimension; a nearby role only in the dimensions that apply to it.
    for (const roleId of pathIds) {
      if (!(roleId in item.roles)) {
        problems.push({ file, path: `${where}.roles`, message: `has no cell for role "${roleId}"` });
      }
    }
  }
  for (const located of entries) {
    const { item, file, path: where } = located;
    checkSources(located);
    item.roles.forEach((ref, index) => {
      expect(roleIds, 'role', ref, file, `${where}.roles[${index}]`);
    });
    if (item.dimension) expect(dimensionIds, 'dimension', item.dimension, file, `${where}.dimension`);
    item.related.forEach((ref, index) => {
      expect(entryIds, 'entry', ref, file, `${where}.related[${index}]`);
      if (ref === item.id)
        problems.push({
          file,
          path: `${where}.related[${index}]`,
          message: 'an entry cannot relate to itself',
        });
    });
  }
  // Pay, market and regulation change: what such an entry says must come from a dated, recent reference.
  const oldest = staleBefore(now);
  for (const { item, file, path: where } of entries) {
    if (!item.timeSensitive) continue;
    item.sources.forEach((ref, index) => {
      const source = sectionsById.get(ref)?.source;
      if (!source) return;
      const at = `${where}.sources[${index}]`;
      if (!source.as_of) {
        problems.push({
          file,
          path: at,
          message: `is time-sensitive, but source "${source.id}" has no as_of date`,
        });
      } else if (source.as_of < oldest) {
        stale.push({
          file,
          path: at,
          message: `is time-sensitive, but source "${source.id}" is as of ${source.as_of}, more than ${FRESH_MONTHS} months ago: check it again and update as_of`,
        });
      }
    });
  }
  for (const located of factors) {
    const { item, file, path: where } = located;
    checkSources(located);
    item.entries.forEach((ref, index) => {
      expect(entryIds, 'entry', ref, file, `${where}.entries[${index}]`);
    });
    item.options.forEach((option, index) => {
      const optionPath = `${where}.options[${index}].weights`;
      for (const roleId of Object.keys(option.weights)) {
        expect(roleIds, 'role', roleId, file, `${optionPath}.${roleId}`);
        if (roleIds.has(roleId) && !pathIds.has(roleId))
          problems.push({
            file,
            path: `${optionPath}.${roleId}`,
            message: `weighs role "${roleId}", which is not a path (the questionnaire weighs paths only)`,
          });
      }
      for (const roleId of pathIds) {
        if (!(roleId in option.weights))
          problems.push({ file, path: optionPath, message: `has no weight for role "${roleId}"` });
      }
    });
  }

  // A term that names two dimensions would make `/pm-compare <term>` ambiguous. Terms are compared the way
  // the command reads them: case, punctuation and plurals folded.
  const dimensionTerms = new Map<string, string>();
  for (const { item, file, path: where } of dimensions) {
    for (const term of [item.id, item.title, ...item.aliases]) {
      const key = tokenize(term).map(foldPlural).join(' ');
      const owner = dimensionTerms.get(key);
      if (owner && owner !== item.id) {
        problems.push({
          file,
          path: `${where}.aliases`,
          message: `"${term}" already names dimension "${owner}"`,
        });
      } else dimensionTerms.set(key, item.id);
    }
  }

  const scopes = parsed.flatMap(({ file, data }) => (data.scope ? [{ file, scope: data.scope }] : []));
  for (const extra of scopes.slice(1)) {
    problems.push({
      file: extra.file,
      path: '$.scope',
      message: `scope is already defined in ${scopes[0]?.file}`,
    });
  }
  const scope = scopes[0]?.scope ?? {
    umbrella: [],
    titles: [],
    otherFields: [],
    domainTerms: [],
    examples: [],
  };
  scope.titles.forEach((title, index) => {
    claim(title.id, scopes[0]?.file ?? '', `$.scope.titles[${index}].id`);
  });

  if (problems.length > 0) throw new KnowledgeError(problems);

  const items = <T>(list: Located<T>[]) => list.map(({ item }) => item);
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
  const knowledge = {
    sources: items(sources),
    roles: [...items(roles).filter((role) => role.path), ...items(roles).filter((role) => !role.path)],
    paths: items(roles).filter((role) => role.path),
    dimensions: items(dimensions),
    entries: items(entries),
    factors: items(factors),
    synonyms: items(synonyms),
    principles: items(principles),
    scope,
  };
  return {
    ...knowledge,
    sectionsById,
    rolesById: byId(knowledge.roles),
    dimensionsById: byId(knowledge.dimensions),
    factorsById: byId(knowledge.factors),
    entriesById: byId(knowledge.entries),
    files: files.map(({ file }) => file),
    stale,
  };
}

/** Reads every *.json file of a folder (alphabetically) and builds the knowledge store; throws KnowledgeError. */
export async function loadKnowledge(directory: string): Promise<Knowledge> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new KnowledgeError([
      {
        file: directory,
        path: '$',
        message: `cannot read the knowledge folder (${(error as NodeJS.ErrnoException).code})`,
      },
    ]);
  }
  if (names.length === 0) {
    throw new KnowledgeError([{ file: directory, path: '$', message: 'contains no .json knowledge files' }]);
  }
  const label = path.basename(directory);
  const files = await Promise.all(
    names.map(async (name) => ({
      file: `${label}/${name}`,
      text: await readFile(path.join(directory, name), 'utf8'),
    })),
  );
  return buildKnowledge(files);
}
