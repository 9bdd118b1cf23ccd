import { existsSync } from 'node:fs';
import dotenv from 'dotenv';
import { loadPaths } from './config.js';
import { loadKnowledge } from './knowledge/loader.js';
import { buildCuratorReport } from './report.js';
import { journalPathFor } from './store/journal-file.js';
import { Database } from './store/postgres/database.js';
import { databaseUrlProblem } from './store/postgres/database-url.js';
import { PgQaLog } from './store/postgres/qa-log.js';
import { QaLogFile, type StoredData } from './store/qa-log.js';

/**
 * `npm run report`: what the knowledge curators should look at. Read-only, beside a running app: from
 * DATABASE_URL when it is set (the same database the replicas share), else from DATA_FILE and its journal.
 */
const log = {
  warn: (message: string) => console.error(message),
  error: (message: string) => console.error(message),
};

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The Q&A log in the database; nothing is changed (no migration either: the app creates the schema). */
async function readDatabase(url: string): Promise<{ data: StoredData; where: string }> {
  const problem = databaseUrlProblem(url);
  if (problem) fail(problem);
  const database = new Database(url, log, { poolSize: 1, lockPoolSize: 1, connectionTimeoutMs: 10_000 });
  try {
    const { rows } = await database.query<{ present: string | null }>(
      "SELECT to_regclass('qa_answers') AS present",
    );
    if (!rows[0]?.present) {
      console.log(
        `No data yet: ${database.where} has no pm-advisor tables (the app creates them at its first start).`,
      );
      process.exit(0);
    }
    return { data: await new PgQaLog(database, log).read(), where: database.where };
  } catch (error) {
    fail(`${database.where} could not be read: ${(error as Error).message}`);
  } finally {
    await database.close();
  }
}

async function readDataFile(dataFile: string): Promise<{ data: StoredData; where: string }> {
  if (!existsSync(dataFile) && !existsSync(journalPathFor(dataFile))) {
    console.log(
      `No data yet: ${dataFile} does not exist (it is created when the app first records something).`,
    );
    process.exit(0);
  }
  const data = await QaLogFile.read(dataFile, log).catch((error: unknown) =>
    fail(`${dataFile} could not be read: ${(error as Error).message}`),
  );
  return { data, where: dataFile };
}

dotenv.config({ quiet: true });
const { dataFile, knowledgeDir } = loadPaths(process.env);
const databaseUrl = process.env.DATABASE_URL?.trim();
const { data, where } = databaseUrl ? await readDatabase(databaseUrl) : await readDataFile(dataFile);
const knowledge = await loadKnowledge(knowledgeDir).catch(() => undefined);
console.log(`pm-advisor report for ${where}\n`);
console.log(buildCuratorReport(data, knowledge));
