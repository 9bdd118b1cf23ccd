import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

type ParsedFile = { file: string; data: KnowledgeFile };

/** Every knowledge file parsed and checked against the schema; problems for those that are not. */
function parseFiles(files: readonly KnowledgeFileText[], problems: KnowledgeProblem[]) {
  const parsed: ParsedFile[] = [];
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
  return parsed;
}

type ListKind = keyof Omit<KnowledgeFile, '$comment' | 'scope'>;

/** Every item of each kind across the files, with the file and JSON path it came from. */
function collectItems(parsed: { file: string; data: KnowledgeFile }[]) {
  const collect = <K extends ListKind>(kind: K) =>
    parsed.flatMap(({ file, data }) =>
      (data[kind] ?? []).map((item, index) => ({
        item: item as NonNullable<KnowledgeFile[K]>[number],
        file,
        path: `$.${kind}[${index}]`,
      })),
    );
  return {
    sources: collect('sources'),
    roles: collect('roles'),
    dimensions: collect('dimensions'),
    entries: collect('entries'),
    factors: collect('factors'),
    synonyms: collect('synonyms'),
    principles: collect('principles'),
  };
}
type Items = ReturnType<typeof collectItems>;

/** Checks that every id is unique across all kinds, so a reference can never be ambiguous. */
class IdRegistry {
  private readonly seen = new Map<string, string>();

  constructor(private readonly problems: KnowledgeProblem[]) {}

  claim(id: string, file: string, where: string): void {
    const first = this.seen.get(id);
    if (first)
      this.problems.push({ file, path: where, message: `duplicate id "${id}" (first used at ${first})` });
    else this.seen.set(id, `${file} ${where}`);
  }

  claimAll(list: Located<{ id: string }>[]): void {
    for (const { item, file, path: where } of list) this.claim(item.id, file, `${where}.id`);
  }
}

/** Claims every id (sources and their sections first) and returns the sections by id. */
function claimIds(items: Items, ids: IdRegistry) {
  const sectionsById = new Map<string, { section: Section; source: Source }>();
  for (const { item, file, path: where } of items.sources) {
    ids.claim(item.id, file, `${where}.id`);
    item.sections.forEach((section, index) => {
      ids.claim(section.id, file, `${where}.sections[${index}].id`);
      sectionsById.set(section.id, { section, source: item });
    });
  }
  for (const list of [
    items.roles,
    items.dimensions,
    items.entries,
    items.factors,
    items.synonyms,
    items.principles,
  ])
    ids.claimAll(list);
  for (const { item, file, path: where } of items.factors) {
    item.options.forEach((option, index) => {
      ids.claim(option.id, file, `${where}.options[${index}].id`);
    });
  }
  return sectionsById;
}

/** Checks references between items (roles, dimensions, entries, source sections) and what each kind requires. */
class ReferenceChecker {
  readonly roleIds: Set<string>;
  readonly pathIds: Set<string>;
  private readonly dimensionIds: Set<string>;
  private readonly entryIds: Set<string>;

  constructor(
    private readonly items: Items,
    private readonly sectionsById: Map<string, { section: Section; source: Source }>,
    private readonly problems: KnowledgeProblem[],
  ) {
    this.roleIds = new Set(items.roles.map(({ item }) => item.id));
    this.pathIds = new Set(items.roles.filter(({ item }) => item.path).map(({ item }) => item.id));
    this.dimensionIds = new Set(items.dimensions.map(({ item }) => item.id));
    this.entryIds = new Set(items.entries.map(({ item }) => item.id));
  }

  private expect(known: Set<string>, what: string, ref: string, file: string, where: string): void {
    if (!known.has(ref))
      this.problems.push({ file, path: where, message: `refers to unknown ${what} "${ref}"` });
  }

  private checkSources({ item, file, path: where }: Located<{ sources: string[] }>): void {
    item.sources.forEach((ref, index) => {
      if (!this.sectionsById.has(ref))
        this.problems.push({
          file,
          path: `${where}.sources[${index}]`,
          message: `refers to unknown source section "${ref}"`,
        });
    });
  }

  checkFolder(): void {
    const folder = '(knowledge folder)';
    if (this.items.sources.length === 0)
      this.problems.push({ file: folder, path: '$', message: 'defines no sources' });
    if (this.pathIds.size < 2)
      this.problems.push({ file: folder, path: '$', message: 'needs at least two path roles to compare' });
    if (this.items.dimensions.length === 0)
      this.problems.push({ file: folder, path: '$', message: 'defines no dimensions' });
  }

  checkRolesAndPrinciples(): void {
    for (const located of this.items.roles) this.checkSources(located);
    for (const located of this.items.principles) this.checkSources(located);
  }

  checkDimensions(): void {
    for (const located of this.items.dimensions) {
      const { item, file, path: where } = located;
      this.checkSources(located);
      for (const [roleId, cell] of Object.entries(item.roles)) {
        this.expect(this.roleIds, 'role', roleId, file, `${where}.roles.${roleId}`);
        this.checkSources({ item: cell, file, path: `${where}.roles.${roleId}` });
      }
      // A path role has a cell in every dimension; a nearby role only in the dimensions that apply to it.
      for (const roleId of this.pathIds) {
        if (!(roleId in item.roles))
          this.problems.push({ file, path: `${where}.roles`, message: `has no cell for role "${roleId}"` });
      }
    }
  }

  checkEntries(): void {
    for (const located of this.items.entries) {
      const { item, file, path: where } = located;
      this.checkSources(located);
      item.roles.forEach((ref, index) => {
        this.expect(this.roleIds, 'role', ref, file, `${where}.roles[${index}]`);
      });
      if (item.dimension)
        this.expect(this.dimensionIds, 'dimension', item.dimension, file, `${where}.dimension`);
      item.related.forEach((ref, index) => {
        this.expect(this.entryIds, 'entry', ref, file, `${where}.related[${index}]`);
        if (ref === item.id)
          this.problems.push({
            file,
            path: `${where}.related[${index}]`,
            message: 'an entry cannot relate to itself',
          });
      });
    }
  }

  /** Pay, market and regulation change: what such an entry says must come from a dated, recent reference. */
  checkFreshness(now: Date): KnowledgeProblem[] {
    const stale: KnowledgeProblem[] = [];
    const oldest = staleBefore(now);
    for (const { item, file, path: where } of this.items.entries) {
      if (!item.timeSensitive) continue;
      item.sources.forEach((ref, index) => {
        const source = this.sectionsById.get(ref)?.source;
        if (!source) return;
        const at = `${where}.sources[${index}]`;
        if (!source.as_of) {
          this.problems.push({
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
    return stale;
  }

  checkFactors(): void {
    for (const located of this.items.factors) {
      const { item, file, path: where } = located;
      this.checkSources(located);
      item.entries.forEach((ref, index) => {
        this.expect(this.entryIds, 'entry', ref, file, `${where}.entries[${index}]`);
      });
      item.options.forEach((option, index) => {
        const optionPath = `${where}.options[${index}].weights`;
        for (const roleId of Object.keys(option.weights)) {
          this.expect(this.roleIds, 'role', roleId, file, `${optionPath}.${roleId}`);
          if (this.roleIds.has(roleId) && !this.pathIds.has(roleId))
            this.problems.push({
              file,
              path: `${optionPath}.${roleId}`,
              message: `weighs role "${roleId}", which is not a path (the questionnaire weighs paths only)`,
            });
        }
        for (const roleId of this.pathIds) {
          if (!(roleId in option.weights))
            this.problems.push({ file, path: optionPath, message: `has no weight for role "${roleId}"` });
        }
      });
    }
  }

  /**
   * A term that names two dimensions would make `/pm-compare <term>` ambiguous. Terms are compared the way the
   * command reads them: case, punctuation and plurals folded.
   */
  checkDimensionTerms(): void {
    const dimensionTerms = new Map<string, string>();
    for (const { item, file, path: where } of this.items.dimensions) {
      for (const term of [item.id, item.title, ...item.aliases]) {
        const key = tokenize(term).map(foldPlural).join(' ');
        const owner = dimensionTerms.get(key);
        if (owner && owner !== item.id)
          this.problems.push({
            file,
            path: `${where}.aliases`,
            message: `"${term}" already names dimension "${owner}"`,
          });
        else dimensionTerms.set(key, item.id);
      }
    }
  }
}

/** The one scope of the store (a second definition is a problem); its titles' ids are claimed like any other. */
function mergeScope(
  parsed: { file: string; data: KnowledgeFile }[],
  ids: IdRegistry,
  problems: KnowledgeProblem[],
): Knowledge['scope'] {
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
    ids.claim(title.id, scopes[0]?.file ?? '', `$.scope.titles[${index}].id`);
  });
  return scope;
}

/**
 * Validates and merges knowledge files; returns every problem found, not just the first. `now` dates the
 * freshness check of time-sensitive entries.
 */
export function buildKnowledge(files: readonly KnowledgeFileText[], now: Date = new Date()): Knowledge {
  return mergeFiles(files, checkSchema(files), now);
}

/** The files checked against the schema; throws KnowledgeError with every problem when one is not valid. */
function checkSchema(files: readonly KnowledgeFileText[]): ParsedFile[] {
  const problems: KnowledgeProblem[] = [];
  const parsed = parseFiles(files, problems);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return parsed;
}

/** The files, already checked against the schema, merged and checked as one store (ids, references, dates). */
function mergeFiles(files: readonly KnowledgeFileText[], parsed: ParsedFile[], now: Date): Knowledge {
  const problems: KnowledgeProblem[] = [];
  const items = collectItems(parsed);
  const ids = new IdRegistry(problems);
  const sectionsById = claimIds(items, ids);
  const references = new ReferenceChecker(items, sectionsById, problems);
  references.checkFolder();
  references.checkRolesAndPrinciples();
  references.checkDimensions();
  references.checkEntries();
  const stale = references.checkFreshness(now);
  references.checkFactors();
  references.checkDimensionTerms();
  const scope = mergeScope(parsed, ids, problems);
  if (problems.length > 0) throw new KnowledgeError(problems);

  const plain = <T>(list: Located<T>[]) => list.map(({ item }) => item);
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
  const roles = plain(items.roles);
  const knowledge = {
    sources: plain(items.sources),
    roles: [...roles.filter((role) => role.path), ...roles.filter((role) => !role.path)],
    paths: roles.filter((role) => role.path),
    dimensions: plain(items.dimensions),
    entries: plain(items.entries),
    factors: plain(items.factors),
    synonyms: plain(items.synonyms),
    principles: plain(items.principles),
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

export interface LoadKnowledgeOptions {
  /**
   * A folder where the schema check of files that passed it is kept, under a hash of the files and of the code
   * that checks them (this module, the schema, zod's version): the next load of the same files takes the checked
   * data from there instead of checking again. The check is most of a load (about 60 ms of a cold start in
   * `npm run bench:ack`). The store is still merged and checked as a whole (ids, references, dates) every time.
   * Only the app's own start uses it (knowledge:check and the tests always check); give it a folder as trusted as
   * the code, e.g. dist/. A folder that cannot be written only costs the check.
   */
  checkedCache?: string;
}

/** Reads every *.json file of a folder (alphabetically) and builds the knowledge store; throws KnowledgeError. */
export async function loadKnowledge(
  directory: string,
  options: LoadKnowledgeOptions = {},
): Promise<Knowledge> {
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
  const cache = options.checkedCache;
  const key = cache === undefined ? undefined : await checkedKey(files);
  if (cache === undefined || key === undefined) return buildKnowledge(files);
  const cached = await readChecked(cache, key, files);
  if (cached) return mergeFiles(files, cached, new Date());
  const parsed = checkSchema(files);
  const text = JSON.stringify(parsed);
  const knowledge = mergeFiles(files, parsed, new Date());
  // Kept only for a store that loads; written after the start has what it needs, and never waited for.
  void keepChecked(cache, key, text).catch(() => undefined);
  return knowledge;
}

const CHECKED_PREFIX = 'knowledge-checked-';

/** What decides the schema check besides the files: the code of this module, of the schema and zod's version. */
async function checkerCode(): Promise<Buffer[] | undefined> {
  const here = fileURLToPath(import.meta.url);
  const schema = path.join(path.dirname(here), `schema${path.extname(here)}`);
  try {
    const zod = createRequire(import.meta.url).resolve('zod/package.json');
    return await Promise.all([readFile(here), readFile(schema), readFile(zod)]);
  } catch {
    return undefined;
  }
}

/** The cache key of these files under this checker; undefined when the checker's code cannot be read. */
async function checkedKey(files: readonly KnowledgeFileText[]): Promise<string | undefined> {
  const code = await checkerCode();
  if (!code) return undefined;
  const hash = createHash('sha256');
  for (const part of code) hash.update(part).update('\0');
  for (const { file, text } of files) hash.update(file).update('\0').update(text).update('\0');
  return hash.digest('hex');
}

/** The checked data kept for exactly these files, or undefined (none, unreadable, or for other files). */
async function readChecked(
  folder: string,
  key: string,
  files: readonly KnowledgeFileText[],
): Promise<ParsedFile[] | undefined> {
  try {
    const kept = JSON.parse(
      await readFile(path.join(folder, `${CHECKED_PREFIX}${key}.json`), 'utf8'),
    ) as unknown;
    if (!Array.isArray(kept) || kept.length !== files.length) return undefined;
    const fits = kept.every(
      (entry: Partial<ParsedFile> | null, index) =>
        typeof entry === 'object' &&
        entry !== null &&
        entry.file === files[index]?.file &&
        typeof entry.data === 'object' &&
        entry.data !== null,
    );
    return fits ? (kept as ParsedFile[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the checked data under its key (written whole, then renamed), and drops what was kept for other files. */
async function keepChecked(folder: string, key: string, text: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const name = `${CHECKED_PREFIX}${key}.json`;
  const partial = path.join(folder, `${name}.${process.pid}.partial`);
  await writeFile(partial, text);
  await rename(partial, path.join(folder, name));
  for (const other of await readdir(folder))
    if (other.startsWith(CHECKED_PREFIX) && other !== name)
      await rm(path.join(folder, other), { force: true });
}
