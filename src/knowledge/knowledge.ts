import type {
  Dimension,
  Entry,
  Factor,
  Principle,
  Role,
  Scope,
  Section,
  Source,
  SynonymGroup,
} from './schema.js';

// Every schema type (Entry, Role, Title…) is named here too, so the app imports its knowledge types from one module.
export type * from './schema.js';

/** The validated, merged knowledge store: everything the app says about the roles comes from here. */
export interface Knowledge {
  sources: Source[];
  /** Every role `/pm-compare` compares: the paths first, then nearby roles (product owner, TPM…). */
  roles: Role[];
  /** The career paths the advisor weighs between (`path` not false): the questionnaire and Q&A speak of these. */
  paths: Role[];
  dimensions: Dimension[];
  entries: Entry[];
  factors: Factor[];
  synonyms: SynonymGroup[];
  /** What every role shares; shown with questionnaire results. */
  principles: Principle[];
  /** What the advisor covers and what it doesn't; empty lists when no file defines it. */
  scope: Scope;
  sectionsById: ReadonlyMap<string, { section: Section; source: Source }>;
  rolesById: ReadonlyMap<string, Role>;
  dimensionsById: ReadonlyMap<string, Dimension>;
  factorsById: ReadonlyMap<string, Factor>;
  entriesById: ReadonlyMap<string, Entry>;
  /** The files it was loaded from, relative to the knowledge folder. */
  files: string[];
  /** Problems that depend on the date (a time-sensitive entry's source older than 18 months): start-up logs them,
   * `npm run knowledge:check` fails on them. */
  stale: KnowledgeProblem[];
}

export interface KnowledgeProblem {
  file: string;
  /** JSON path inside the file, like $.dimensions[2].roles.it-pm.summary */
  path: string;
  message: string;
}

export function formatKnowledgeProblem(problem: KnowledgeProblem): string {
  return `${problem.file} ${problem.path}: ${problem.message}`;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(
      `The knowledge store is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${formatKnowledgeProblem(problem)}`).join('\n'),
    );
    this.name = 'KnowledgeError';
  }
}

export function countKnowledgeItems(
  knowledge: Pick<Knowledge, 'roles' | 'dimensions' | 'entries' | 'factors'>,
): number {
  return (
    knowledge.roles.length + knowledge.dimensions.length + knowledge.entries.length + knowledge.factors.length
  );
}

/** The sources an item draws on, each once, with the titles of the sections it uses, in order. */
export function groupSources(
  knowledge: Pick<Knowledge, 'sectionsById'>,
  sectionIds: readonly string[],
): { source: Source; sections: string[] }[] {
  const groups: { source: Source; sections: string[] }[] = [];
  for (const sectionId of sectionIds) {
    const found = knowledge.sectionsById.get(sectionId);
    if (!found) continue;
    let group = groups.find((candidate) => candidate.source === found.source);
    if (!group) {
      group = { source: found.source, sections: [] };
      groups.push(group);
    }
    if (!group.sections.includes(found.section.title)) group.sections.push(found.section.title);
  }
  return groups;
}
