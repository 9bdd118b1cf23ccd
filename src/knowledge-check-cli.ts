import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPaths } from './config.js';
import {
  countKnowledgeItems,
  formatKnowledgeProblem,
  type Knowledge,
  KnowledgeError,
} from './knowledge/knowledge.js';
import { loadKnowledge } from './knowledge/loader.js';
import { projectRoot } from './paths.js';

/**
 * `npm run knowledge:check [folder]`: the validation the app runs at start-up, on the folder given, or
 * `KNOWLEDGE_DIR`, or the shipped one. It also fails on stale time-sensitive entries (start-up only warns), and
 * warns about entries that no labelled question in `tests/fixtures/qa-*.json` expects.
 */
const directory = process.argv[2] ? path.resolve(process.argv[2]) : loadPaths().knowledgeDir;

/** Entry ids that labelled questions expect, from every labelled set found; undefined when there are none. */
async function labelledEntryIds(): Promise<Set<string> | undefined> {
  const folder = path.join(projectRoot, 'tests', 'fixtures');
  const names = await readdir(folder).catch(() => [] as string[]);
  const sets = names.filter((name) => /^qa-.*\.json$/.test(name));
  if (sets.length === 0) return undefined;
  const ids = new Set<string>();
  for (const name of sets) {
    const data = JSON.parse(await readFile(path.join(folder, name), 'utf8')) as {
      questions?: { expect?: unknown }[];
    };
    for (const { expect } of data.questions ?? []) {
      if (Array.isArray(expect)) for (const id of expect) if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

function summary(knowledge: Knowledge): string {
  return (
    `${knowledge.files.length} files, ${countKnowledgeItems(knowledge)} items ` +
    `(${knowledge.roles.length} roles, ${knowledge.dimensions.length} dimensions, ${knowledge.entries.length} entries, ` +
    `${knowledge.factors.length} factors, ${knowledge.synonyms.length} synonym groups)`
  );
}

try {
  const knowledge = await loadKnowledge(directory);
  const reached = await labelledEntryIds();
  const unreached = reached ? knowledge.entries.filter((entry) => !reached.has(entry.id)) : [];
  for (const entry of unreached) {
    console.warn(`warning: no labelled question expects entry "${entry.id}" (add one to a tuning set)`);
  }
  if (knowledge.stale.length > 0) {
    console.error(
      `Knowledge is out of date (${knowledge.stale.length} problem${knowledge.stale.length === 1 ? '' : 's'}):\n` +
        knowledge.stale.map((problem) => `  - ${formatKnowledgeProblem(problem)}`).join('\n'),
    );
    process.exitCode = 1;
  } else console.log(`Knowledge OK: ${summary(knowledge)}.`);
} catch (error) {
  console.error(error instanceof KnowledgeError ? error.message : `Knowledge check failed: ${String(error)}`);
  process.exitCode = 1;
}
