import { afterEach, beforeEach, expect, it } from '@jest/globals';
import pg from 'pg';
import { personKey } from '../../../../src/advisor/person.js';
import type { QuestionnaireSession } from '../../../../src/advisor/questionnaire.js';
import { StoreWriteError } from '../../../../src/store/journal-file.js';
import { migrate, readMigrations } from '../../../../src/store/postgres/migrate.js';
import { type OpenPgOptions, openPgStores, type PgStores } from '../../../../src/store/postgres/open.js';
import { describePostgres, testDatabase } from '../../../helpers/postgres.js';
import { storedSession } from '../../../helpers/questionnaire-fixtures.js';
import { storeLogger } from '../../../helpers/store-logger.js';
import { tcpProxy } from '../../../helpers/tcp-proxy.js';

const KEY = personKey({ teamId: 'T0TEAM0001', userId: 'U0ALICE0001' });

function session(overrides: Partial<QuestionnaireSession> = {}): QuestionnaireSession {
  return storedSession({
    factorIds: ['f1', 'f2', 'f3'],
    answers: {},
    step: 0,
    questionTs: {},
    startedAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  });
}

/** Polls until the check passes (a database state, a log line): waiting for an event, not for time. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describePostgres('PostgreSQL with several replicas', () => {
  const database = testDatabase();
  const opened: PgStores[] = [];
  /** A replica: stores on a pool of their own. */
  async function replica(url = database.url, options: OpenPgOptions = {}) {
    const logger = storeLogger();
    const stores = await openPgStores(url, logger.logger, options);
    opened.push(stores);
    return { stores, ...logger };
  }
  beforeEach(() => database.reset());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((stores) => stores.close()));
  });

  it('migrates a new database from two replicas starting at once, each migration once', async () => {
    const url = await database.fresh();
    const migrations = await readMigrations();
    const pools = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })];
    try {
      const applied = await Promise.all(pools.map((pool) => migrate(pool, migrations)));
      expect(applied.flat().sort()).toEqual(migrations.map((migration) => migration.name).sort());
      const { rows } = await (pools[0] as pg.Pool).query(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
      expect(await migrate(pools[1] as pg.Pool, migrations)).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('answers an event claimed by two replicas at once exactly once', async () => {
    const [a, b] = [await replica(), await replica()];
    const ids = Array.from({ length: 50 }, (_, index) => `Ev${String(index).padStart(10, '0')}`);
    const claims = await Promise.all(
      ids.map(async (id) => {
        const [first, second] = await Promise.all([
          a.stores.handledEvents.claim(id),
          b.stores.handledEvents.claim(id),
        ]);
        return Number(first) + Number(second);
      }),
    );
    expect(claims).toEqual(ids.map(() => 1));
  });

  it('finishes in one transaction: a result that cannot be stored leaves the questionnaire open', async () => {
    const { stores } = await replica();
    await stores.questionnaires.saveSession(KEY, session());
    const broken = {
      id: 'r\u0000',
      at: '2025-03-01T09:01:00.000Z',
      strength: 'clear',
      totals: {},
      answers: {},
    };
    await expect(stores.questionnaires.finish(KEY, broken)).rejects.toBeInstanceOf(StoreWriteError);
    expect(await stores.questionnaires.getSession(KEY)).toEqual(session());
    expect(await stores.questionnaires.results(KEY)).toEqual([]);
  });

  it('takes a double-delivered answer on two replicas at once as one step', async () => {
    const [a, b] = [await replica(), await replica()];
    await a.stores.questionnaires.saveSession(KEY, session());
    const waitingForALock = async () =>
      Number(
        (
          await a.stores.database.query<{ waiting: string }>(
            `SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
          )
        ).rows[0]?.waiting,
      ) > 0;
    for (const [round, factor] of ['f1', 'f2', 'f3'].entries()) {
      const read = [false, false];
      // The flows' read-change-save of applyAnswer, under the person's lock. The first in waits until the other
      // is seen either inside too (no lock: both would answer) or waiting for the lock.
      const answer = (stores: PgStores, me: number) =>
        stores.personLock.run(KEY, async () => {
          const current = await stores.questionnaires.getSession(KEY);
          if (!current || current.answers[factor]) return 'stale';
          read[me] = true;
          await eventually(async () => Boolean(read[1 - me]) || (await waitingForALock()));
          current.answers[factor] = `${factor}-option`;
          current.step++;
          await stores.questionnaires.saveSession(KEY, current);
          return 'answered';
        });
      const outcomes = await Promise.all([answer(a.stores, 0), answer(b.stores, 1)]);
      expect(outcomes.sort()).toEqual(['answered', 'stale']);
      expect((await b.stores.questionnaires.getSession(KEY))?.step).toBe(round + 1);
    }
  });

  it('says the database is unreachable (no password) while it is down, and recovers when it is back', async () => {
    const server = new URL(database.url);
    const proxy = await tcpProxy({ host: server.hostname, port: Number(server.port) });
    try {
      const { stores, errors } = await replica(proxy.url(database.url), {
        probeIntervalMs: 20,
        connectionTimeoutMs: 2_000,
      });
      expect(await stores.handledEvents.claim('Ev0000000001')).toBe(true);
      expect(stores.handledEvents.writeProblem()).toBeUndefined();

      await proxy.cut();
      await expect(stores.handledEvents.claim('Ev0000000002')).rejects.toBeInstanceOf(StoreWriteError);
      await expect(stores.questionnaires.saveSession(KEY, session())).rejects.toBeInstanceOf(StoreWriteError);
      const problem = stores.questionnaires.writeProblem() ?? '';
      expect(problem).toContain(`cannot reach the database postgres://postgres:***@127.0.0.1:${proxy.port}/`);
      expect(problem).not.toContain(server.password);
      expect(errors.join('\n')).not.toContain(server.password);
      // The claim is held in this process meanwhile: a retry here is refused.
      expect(await stores.handledEvents.claim('Ev0000000002').catch(() => 'failed')).toBe(false);

      await proxy.restore();
      await eventually(() => stores.handledEvents.writeProblem() === undefined);
      await eventually(async () => 'Ev0000000002' in (await stores.handledEvents.claimedEvents()));
      await stores.questionnaires.saveSession(KEY, session());
      expect(await stores.questionnaires.getSession(KEY)).toEqual(session());
    } finally {
      await proxy.close();
    }
  });

  it('waits for a database that is down at start-up, saying so with the password masked', async () => {
    const server = new URL(database.url);
    const proxy = await tcpProxy({ host: server.hostname, port: Number(server.port) });
    try {
      await proxy.cut();
      const logger = storeLogger();
      const opening = openPgStores(proxy.url(database.url), logger.logger, {
        retryDelayMs: 20,
        connectionTimeoutMs: 2_000,
      });
      await eventually(() => logger.warnings.length >= 2);
      expect(logger.warnings[0]).toContain(
        `DATABASE_URL=postgres://postgres:***@127.0.0.1:${proxy.port}/${database.url.split('/').pop()} cannot be reached`,
      );
      expect(logger.warnings[0]).toContain('trying again in');
      await proxy.restore();
      const stores = await opening;
      opened.push(stores);
      expect(await stores.handledEvents.claim('Ev0000000001')).toBe(true);
      expect(stores.handledEvents.writeProblem()).toBeUndefined();
      expect([...logger.warnings, ...logger.errors].join('\n')).not.toContain(server.password);

      await proxy.cut();
      await expect(
        openPgStores(proxy.url(database.url), logger.logger, { retryDelayMs: 20, startupTimeoutMs: 200 }),
      ).rejects.toThrow(/^cannot use DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: /);
    } finally {
      await proxy.close();
    }
  });
});
