import type { Logger } from '@slack/bolt';
import { AdvisorStore } from './advisor-store.js';
import { UserStore } from './user-store.js';

export interface DataStores {
  store: AdvisorStore;
  users: UserStore;
}

/** Opens everything kept under DATA_FILE: the main file and the per-person shards beside it. */
export async function openDataStores(
  dataFile: string,
  logger: Pick<Logger, 'warn' | 'error'>,
  now?: () => Date,
): Promise<DataStores> {
  const [store, users] = await Promise.all([
    AdvisorStore.open(dataFile, logger, now),
    UserStore.open(dataFile, logger),
  ]);
  return { store, users };
}
