import { openPgStores, type PgStores } from '../../../../src/store/postgres/open.js';
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
