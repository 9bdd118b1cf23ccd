import type { Logger } from '@slack/bolt';
import { HandledEventsFile } from './handled-events.js';
import { QaLogFile } from './qa-log.js';
import { QuestionnaireFiles } from './questionnaire-store.js';

/** Everything the app keeps under DATA_FILE, in its lowdb backend. */
export interface DataStores {
  qaLog: QaLogFile;
  handledEvents: HandledEventsFile;
  questionnaires: QuestionnaireFiles;
}

/** Opens everything kept under DATA_FILE: the Q&A log, the handled events beside it and the per-person shards. */
export async function openDataStores(
  dataFile: string,
  logger: Pick<Logger, 'warn' | 'error'>,
  now?: () => Date,
): Promise<DataStores> {
  const [qaLog, handledEvents, questionnaires] = await Promise.all([
    QaLogFile.open(dataFile, logger, now),
    HandledEventsFile.open(dataFile, logger, now),
    QuestionnaireFiles.open(dataFile, logger),
  ]);
  return { qaLog, handledEvents, questionnaires };
}
