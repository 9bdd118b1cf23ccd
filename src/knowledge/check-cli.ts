import path from 'node:path';
import { projectRoot } from '../paths.js';
import { countKnowledgeItems, KnowledgeError } from './knowledge.js';
import { loadKnowledge } from './loader.js';

/** `npm run knowledge:check [folder]`: the same validation the app runs at start-up. */
const directory = process.argv[2] ? path.resolve(process.argv[2]) : path.join(projectRoot, 'knowledge');
try {
  const knowledge = await loadKnowledge(directory);
  console.log(
    `Knowledge OK: ${knowledge.files.length} files, ${countKnowledgeItems(knowledge)} items ` +
      `(${knowledge.roles.length} roles, ${knowledge.dimensions.length} dimensions, ${knowledge.entries.length} entries, ` +
      `${knowledge.factors.length} factors, ${knowledge.synonyms.length} synonym groups).`,
  );
} catch (error) {
  console.error(error instanceof KnowledgeError ? error.message : `Knowledge check failed: ${String(error)}`);
  process.exitCode = 1;
}
