import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DataStores, openDataStores } from '../../../src/store/data-stores.js';
import { storeLogger } from '../../helpers/store-logger.js';
import { type ContractBackend, type ContractStores, storeContract } from './contract.js';

/** The file backend (DATA_FILE and the files beside it) in a temporary folder of its own. */
function fileBackend(): ContractBackend {
  let folder: string | undefined;
  let opened: DataStores | undefined;
  const open = async (now: () => Date): Promise<ContractStores> => {
    folder ??= await mkdtemp(path.join(os.tmpdir(), 'pm-advisor-contract-'));
    const stores = await openDataStores(path.join(folder, 'data', 'db.json'), storeLogger().logger, now);
    opened = stores;
    return {
      ...stores,
      qaData: async () => structuredClone(stores.qaLog.data),
      claimedEvents: async () => ({ ...stores.handledEvents.processedEvents }),
    };
  };
  const closeOpened = async () => {
    if (!opened) return;
    await Promise.all([opened.qaLog.close(), opened.handledEvents.close(), opened.questionnaires.flush()]);
    opened = undefined;
  };
  return {
    open,
    reopen: async (now) => {
      await closeOpened();
      return open(now);
    },
    close: async () => {
      await closeOpened();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}

storeContract('files', fileBackend);
