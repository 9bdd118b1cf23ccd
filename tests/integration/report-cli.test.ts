import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { projectRoot } from '../../src/paths.js';
import { openDataStores } from '../../src/store/data-stores.js';
import { openPgStores } from '../../src/store/postgres/open.js';
import type { QaLog } from '../../src/store/qa-log.js';
import { describePostgres, testDatabase } from '../helpers/postgres.js';
import { recordingLogger } from '../helpers/slack.js';

const run = promisify(execFile);
const CLI = path.join(projectRoot, 'dist', 'src', 'report-cli.js');
const asker = { teamId: 'T0TEAM0001', channelId: 'C0CHANNEL01', userId: 'U0ASKER001' };

/** `npm run report` as a curator runs it, with only these settings (no .env of the checkout: cwd is elsewhere). */
async function report(env: Record<string, string>): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'pm-advisor-report-'));
  const { stdout } = await run(process.execPath, [CLI], {
    cwd,
    env: { PATH: process.env.PATH ?? '', KNOWLEDGE_DIR: path.join(projectRoot, 'knowledge'), ...env },
  });
  return stdout;
}

/** One unanswered question and one answer voted not helpful, why included. */
async function logSomething(qaLog: QaLog): Promise<void> {
  await qaLog.logUnanswered({ ...asker, question: 'Which PM course should I buy?', closestIds: [] });
  const id = await qaLog.logAnswer({ ...asker, question: 'what does a TPM do', entryIds: ['role-tpm'] });
  expect(await qaLog.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({});
  expect(await qaLog.setReason(id, 'U0VOTER0001', 'outdated')).toBe(true);
  await qaLog.flush();
}

describe('npm run report on the data file', () => {
  it('reports the unanswered questions and the votes from DATA_FILE', async () => {
    const dataFile = path.join(await mkdtemp(path.join(tmpdir(), 'pm-advisor-report-data-')), 'db.json');
    const stores = await openDataStores(dataFile, recordingLogger());
    await logSomething(stores.qaLog);
    const output = await report({ DATA_FILE: dataFile });
    expect(output).toContain(`pm-advisor report for ${dataFile}`);
    expect(output).toMatch(/Unanswered questions: 1/);
    expect(output).toContain('Which PM course should I buy?');
    expect(output).toMatch(/role-tpm/);
  });

  it('says there is no data yet when DATA_FILE does not exist', async () => {
    const dataFile = path.join(await mkdtemp(path.join(tmpdir(), 'pm-advisor-report-none-')), 'db.json');
    expect(await report({ DATA_FILE: dataFile })).toMatch(/No data yet: .*does not exist/);
  });
});

describePostgres('npm run report on PostgreSQL (DATABASE_URL)', () => {
  const database = testDatabase();

  it('reads the shared database, naming it with the password masked', async () => {
    const stores = await openPgStores(database.url, recordingLogger());
    try {
      await logSomething(stores.qaLog);
    } finally {
      await stores.close();
    }
    const output = await report({ DATABASE_URL: database.url });
    expect(output).toMatch(/pm-advisor report for the database postgres(ql)?:\/\//);
    const password = new URL(database.url).password;
    if (password) expect(output).not.toContain(password);
    expect(output).toMatch(/Unanswered questions: 1/);
    expect(output).toContain('Which PM course should I buy?');
    expect(output).toMatch(/role-tpm/);
  });

  it('says there is no data yet in a database the app has not started on, and creates nothing', async () => {
    const url = await database.fresh();
    expect(await report({ DATABASE_URL: url })).toMatch(
      /No data yet: the database .* has no pm-advisor tables/,
    );
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query(
        "SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(rows[0]).toEqual({ tables: 0 });
    } finally {
      await check.end();
    }
  });
});
