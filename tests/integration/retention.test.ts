import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { QaLogFile } from '../../src/store/qa-log.js';
import { T0 } from '../helpers/clock.js';
import { closeNetwork, type RunningApp, startApp } from '../helpers/slack.js';
import { storeLogger } from '../helpers/store-logger.js';
import { waitFor } from '../helpers/wait.js';

const DAY = 24 * 60 * 60 * 1000;

describe('QA_LOG_RETENTION_DAYS', () => {
  let slack: RunningApp | undefined;
  beforeAll(() => closeNetwork());
  afterAll(async () => {
    await slack?.stop();
    nock.enableNetConnect();
  });

  it('deletes the questions older than the retention period when the app starts', async () => {
    const dataFile = path.join(await mkdtemp(path.join(tmpdir(), 'pm-advisor-retention-')), 'db.json');
    let now = T0;
    const log = await QaLogFile.open(dataFile, storeLogger().logger, () => new Date(now));
    const fields = { teamId: 'T0TEAM0001', channelId: 'C0CHANNEL01', userId: 'U0ASKER001', entryIds: [] };
    await log.logAnswer({ ...fields, question: 'asked 40 days ago' });
    await log.logUnanswered({ ...fields, question: 'unanswered 40 days ago', closestIds: [] });
    now = T0 + 35 * DAY;
    const recent = await log.logAnswer({ ...fields, question: 'asked 5 days ago' });
    await log.close();

    slack = await startApp({
      config: { dataFile, qaLogRetentionDays: 30 },
      now: () => new Date(T0 + 40 * DAY),
    });
    const qaLog = slack.qaLog;
    await waitFor(() => Object.keys(qaLog.data.answers).length === 1);
    expect(Object.keys(qaLog.data.answers)).toEqual([recent]);
    expect(qaLog.data.unanswered).toEqual([]);
  });
});
