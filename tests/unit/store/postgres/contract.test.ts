import { expect, it } from '@jest/globals';
import { openPgStores, type PgStores } from '../../../../src/store/postgres/open.js';
import { QA_LOG_LIMITS } from '../../../../src/store/qa-log.js';
import { describePostgres, testDatabase } from '../../../helpers/postgres.js';
import { storeLogger } from '../../../helpers/store-logger.js';
import { type ContractBackend, type ContractStores, storeContract } from '../contract.js';

describePostgres('PostgreSQL', () => {
  const database = testDatabase();

  /** The PostgreSQL stores on this file's database, emptied before each test. */
  function pgBackend(): ContractBackend {
    let opened: PgStores | undefined;
    const open = async (now: () => Date): Promise<ContractStores> => {
      const stores = await openPgStores(database.url, storeLogger().logger, { now });
      opened = stores;
      return {
        ...stores,
        qaData: () => stores.qaLog.read(),
        claimedEvents: () => stores.handledEvents.claimedEvents(),
      };
    };
    const closeOpened = async () => {
      await opened?.qaLog.flush();
      await opened?.close();
      opened = undefined;
    };
    return {
      open: async (now) => {
        await database.reset();
        return open(now);
      },
      reopen: async (now) => {
        await closeOpened();
        return open(now);
      },
      close: closeOpened,
    };
  }

  storeContract('postgres', pgBackend);
});

describePostgres('PostgreSQL: answered threads, many workspaces', () => {
  const database = testDatabase();

  it("bounds each workspace's threads on its own: a busy one pushes out none of another's", async () => {
    const stores = await openPgStores(database.url, storeLogger().logger);
    try {
      const place = (teamId: string, threadTs: string) => ({ teamId, channelId: 'C0CHANNEL01', threadTs });
      await stores.qaLog.rememberThread({ ...place('T0QUIET001', '1.0'), userId: 'U0A', question: 'quiet?' });
      // The busy workspace fills its own bound and more, in one statement (the per-answer path is the contract's).
      await stores.database.query(
        `INSERT INTO qa_threads (team_id, channel_id, thread_ts, user_id, question, at)
         SELECT 'T0BUSY0001', 'C0CHANNEL01', '2.' || n, 'U0B', 'busy ' || n, now() + n * interval '1 ms'
         FROM generate_series(1, $1) AS n`,
        [QA_LOG_LIMITS.threads],
      );
      await stores.qaLog.rememberThread({ ...place('T0BUSY0001', '3.0'), userId: 'U0B', question: 'newest' });
      expect((await stores.qaLog.answeredThread(place('T0QUIET001', '1.0')))?.question).toBe('quiet?');
      expect((await stores.qaLog.answeredThread(place('T0BUSY0001', '2.1')))?.question).toBeUndefined();
      const { rows } = await stores.database.query<{ team_id: string; n: number }>(
        'SELECT team_id, count(*)::int AS n FROM qa_threads GROUP BY team_id ORDER BY team_id',
      );
      expect(rows).toEqual([
        { team_id: 'T0BUSY0001', n: QA_LOG_LIMITS.threads },
        { team_id: 'T0QUIET001', n: 1 },
      ]);
    } finally {
      await stores.close();
    }
  });
});
