import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import { loadPaths } from './config.js';
import { loadKnowledge } from './knowledge/loader.js';
import { buildCuratorReport } from './report.js';
import { parseStoredData } from './store/qa-log.js';

/** `npm run report`: what the knowledge curators should look at, read from DATA_FILE (read-only). */
dotenv.config({ quiet: true });
const { dataFile, knowledgeDir } = loadPaths(process.env);
let text: string;
try {
  text = await readFile(dataFile, 'utf8');
} catch {
  console.log(
    `No data yet: ${dataFile} does not exist (it is created when the app first records something).`,
  );
  process.exit(0);
}
let parsed: unknown;
try {
  parsed = JSON.parse(text);
} catch {
  parsed = undefined;
}
const data = parseStoredData(parsed);
if (!data) {
  console.error(`${dataFile} is not a readable pm-advisor data file.`);
  process.exit(1);
}
const knowledge = await loadKnowledge(knowledgeDir).catch(() => undefined);
console.log(`pm-advisor report for ${dataFile}\n`);
console.log(buildCuratorReport(data, knowledge));
