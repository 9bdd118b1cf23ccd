import { Database, type DatabaseOptions, isUnreachable, type StoreLogger } from './database.js';
import { PgHandledEvents } from './handled-events.js';
import { PgInstallationStore } from './installation-store.js';
import { type Migration, migrate, readMigrations } from './migrate.js';
import { PgPersonLock } from './person-lock.js';
import { PgQaLog } from './qa-log.js';
import { PgQuestionnaireStore } from './questionnaire-store.js';

export interface PgStores {
  qaLog: PgQaLog;
  handledEvents: PgHandledEvents;
  questionnaires: PgQuestionnaireStore;
  installations: PgInstallationStore;
  /** A person's lock across replicas (the flows' `personLock`). */
  personLock: PgPersonLock;
  database: Database;
  close(): Promise<void>;
}

export interface OpenPgOptions extends DatabaseOptions {
  now?: () => Date;
  /** Seals the bot tokens of OAuth installations (TOKEN_ENCRYPTION_KEY). */
  tokenEncryptionKey?: string;
  /** How long start-up keeps trying to reach the database before it gives up. */
  startupTimeoutMs?: number;
  /** The first wait between tries (doubling, at most 10 s). */
  retryDelayMs?: number;
  /** The migrations to apply (default: the .sql files in migrations/). */
  migrations?: Migration[];
}

/**
 * Connects to the database in DATABASE_URL, brings its schema up to date (under an advisory lock: replicas may
 * start at once) and opens the stores on it. A database that cannot be reached yet is tried again with backoff,
 * saying so in the log (the URL shown with its password masked), for up to `startupTimeoutMs`.
 */
export async function openPgStores(
  url: string,
  logger: StoreLogger,
  options: OpenPgOptions = {},
): Promise<PgStores> {
  const database = new Database(url, logger, options);
  const migrations = options.migrations ?? (await readMigrations());
  const deadline = Date.now() + (options.startupTimeoutMs ?? 120_000);
  let delay = options.retryDelayMs ?? 500;
  for (;;) {
    try {
      const applied = await migrate(database.pool, migrations, (message) => logger.warn(message));
      if (applied.length > 0) logger.warn(`${database.where}: applied migration(s) ${applied.join(', ')}`);
      await database.query('SELECT 1'); // reachable: clears what the failed tries noted
      break;
    } catch (error) {
      const reason = database.noted(error).message;
      if (!isUnreachable(error) || Date.now() + delay > deadline) {
        await database.close();
        throw new Error(`cannot use DATABASE_URL=${database.shownUrl}: ${reason}`);
      }
      logger.warn(
        `DATABASE_URL=${database.shownUrl} cannot be reached (${reason}); trying again in ${(delay / 1000).toFixed(1)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
  return {
    qaLog: new PgQaLog(database, logger, options.now),
    handledEvents: new PgHandledEvents(database, logger, options.now),
    questionnaires: new PgQuestionnaireStore(database),
    installations: new PgInstallationStore(database, { tokenEncryptionKey: options.tokenEncryptionKey }),
    personLock: new PgPersonLock(database),
    database,
    close: () => database.close(),
  };
}
