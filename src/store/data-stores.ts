import type { Logger } from '@slack/bolt';
import { type HandledEvents, HandledEventsFile } from './handled-events.js';
import { InstallationFile, type InstallationStore } from './installation-store.js';
import type { PersonLock } from './person-lock.js';
import { openPgStores } from './postgres/open.js';
import { type QaLog, QaLogFile } from './qa-log.js';
import { QuestionnaireFiles, type QuestionnaireStore } from './questionnaire-store.js';

/** Everything the app keeps under DATA_FILE, in its lowdb backend. */
export interface DataStores {
  qaLog: QaLogFile;
  handledEvents: HandledEventsFile;
  questionnaires: QuestionnaireFiles;
  /** The OAuth installations (db.installations.json beside DATA_FILE; empty with SLACK_BOT_TOKEN). */
  installations: InstallationFile;
}

/** Opens everything kept under DATA_FILE: the Q&A log, the handled events beside it and the per-person shards. */
export async function openDataStores(
  dataFile: string,
  logger: Pick<Logger, 'warn' | 'error'>,
  now?: () => Date,
  options: { tokenEncryptionKey?: string } = {},
): Promise<DataStores> {
  const [qaLog, handledEvents, questionnaires, installations] = await Promise.all([
    QaLogFile.open(dataFile, logger, now),
    HandledEventsFile.open(dataFile, logger, now),
    QuestionnaireFiles.open(dataFile, logger),
    InstallationFile.open(InstallationFile.fileFor(dataFile), logger, options),
  ]);
  return { qaLog, handledEvents, questionnaires, installations };
}

/** The stores of either backend, as the app uses them. */
export interface OpenStores {
  qaLog: QaLog;
  handledEvents: HandledEvents;
  questionnaires: QuestionnaireStore;
  installations: InstallationStore;
  /** A person's lock that holds across replicas, when the backend is shared by several (PostgreSQL). */
  personLock?: PersonLock;
  /** What the stores are kept in, for messages: the data file, or the database (password masked). */
  where: string;
  /** Ends the connections (PostgreSQL); after the app stopped and flushed. */
  close(): Promise<void>;
}

/**
 * The backend the configuration chooses: PostgreSQL when DATABASE_URL is set (several replicas can share it),
 * else the files under DATA_FILE (one process).
 */
export async function openStores(
  target: { dataFile: string; databaseUrl?: string },
  logger: Pick<Logger, 'warn' | 'error'>,
  now?: () => Date,
  options: { tokenEncryptionKey?: string } = {},
): Promise<OpenStores> {
  if (target.databaseUrl) {
    const stores = await openPgStores(target.databaseUrl, logger, { now, ...options });
    return { ...stores, where: stores.database.where, close: stores.close };
  }
  return {
    ...(await openDataStores(target.dataFile, logger, now, options)),
    where: target.dataFile,
    close: async () => {},
  };
}
