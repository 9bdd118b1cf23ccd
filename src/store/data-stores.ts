import type { Logger } from '@slack/bolt';
import { HandledEventsFile } from './handled-events.js';
import { InstallationFile } from './installation-store.js';
import { QaLogFile } from './qa-log.js';
import { QuestionnaireFiles } from './questionnaire-store.js';

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
