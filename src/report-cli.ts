import { existsSync } from 'node:fs';
import dotenv from 'dotenv';
import { loadPaths } from './config.js';
import { loadKnowledge } from './knowledge/loader.js';
import { buildCuratorReport } from './report.js';
import { journalPathFor } from './store/journal-file.js';
import { QaLogFile } from './store/qa-log.js';

/** `npm run report`: what the knowledge curators should look at, read from DATA_FILE and its journal (read-only). */
dotenv.config({ quiet: true });
const { dataFile, knowledgeDir } = loadPaths(process.env);
if (!existsSync(dataFile) && !existsSync(journalPathFor(dataFile))) {
  console.log(
    `No data yet: ${dataFile} does not exist (it is created when the app first records something).`,
  );
  process.exit(0);
}
const data = await QaLogFile.read(dataFile, {
  warn: (message: string) => console.error(message),
  error: (message: string) => console.error(message),
}).catch((error: unknown) => {
  console.error(`${dataFile} could not be read: ${(error as Error).message}`);
  process.exit(1);
});
const knowledge = await loadKnowledge(knowledgeDir).catch(() => undefined);
console.log(`pm-advisor report for ${dataFile}\n`);
console.log(buildCuratorReport(data, knowledge));
