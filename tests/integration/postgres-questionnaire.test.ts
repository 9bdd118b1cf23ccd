import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import nock from 'nock';
import { QUESTION_OUT_OF_SIGHT } from '../../src/advisor/questionnaire.js';
import { createApp, EVENTS_PATH } from '../../src/app.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { signedSlackRequest } from '../../src/slack-request.js';
import { openPgStores, type PgStores } from '../../src/store/postgres/open.js';
import { type FakeMessage, FakeSlack, isQuestion } from '../helpers/fake-slack.js';
import { describePostgres, testDatabase } from '../helpers/postgres.js';
import {
  closeNetwork,
  type RunningApp,
  recordingLogger,
  SIGNING_SECRET,
  stubAuthTest,
  TEAM_ID,
  testConfig,
} from '../helpers/slack.js';

const KEY = `${TEAM_ID}:U0PERSON001`;

/** One replica of the app: its own process state and pool, the shared database. */
interface Replica {
  stores: PgStores;
  /** What FakeSlack drives: signed requests to this replica, and waiting for it to finish them. */
  slack: RunningApp;
  stop(): Promise<void>;
}

describePostgres('the questionnaire on two replicas sharing PostgreSQL, over signed HTTP', () => {
  const database = testDatabase();
  let knowledge: Knowledge;
  let replicas: Replica[] = [];
  let chat: FakeSlack;

  async function replica(): Promise<Replica> {
    const logger = recordingLogger();
    const stores = await openPgStores(database.url, logger);
    stubAuthTest();
    const config = testConfig({ databaseUrl: database.url });
    const advisor = createApp(config, { knowledge, ...stores, logger });
    const baseUrl = `http://127.0.0.1:${(await advisor.start()).port}`;
    const send = async (request: object) => {
      const { body, headers } = signedSlackRequest(SIGNING_SECRET, request);
      const response = await fetch(`${baseUrl}${EVENTS_PATH}`, { method: 'POST', headers, body });
      await response.text();
      return response;
    };
    const idle = async () => {
      if (!(await advisor.idle())) throw new Error('the app did not become idle');
    };
    // FakeSlack needs only these three of a running app.
    const slack = { event: send, action: send, idle } as unknown as RunningApp;
    return {
      stores,
      slack,
      stop: async () => {
        await advisor.stop();
        await stores.close();
      },
    };
  }

  beforeAll(async () => {
    knowledge = await loadKnowledge(testConfig().knowledgeDir);
  });
  beforeEach(async () => {
    closeNetwork();
    await database.reset();
    replicas = [await replica(), await replica()];
    chat = new FakeSlack((replicas[0] as Replica).slack);
  });
  afterEach(async () => {
    await Promise.all(replicas.map((one) => one.stop()));
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  it('resumes on the other replica, and a drop confirmed on both at once drops once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await chat.dm('start');
    await chat.dm('1');
    // The other replica reads the questionnaire from the database: a start resumes it, answers kept.
    chat.use(b.slack);
    const resumed = await chat.dm('help me choose');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.text).toContain(`You're on question 2 of ${knowledge.factors.length}`);
    expect(isQuestion(resumed[0] as FakeMessage)).toBe(true);
    const before = await a.stores.questionnaires.getSession(KEY);
    expect(Object.keys(before?.answers ?? {})).toHaveLength(1);

    const confirm = (await chat.dm('restart'))[0] as FakeMessage;
    const drop = FakeSlack.buttons(confirm)[0];
    expect(drop?.text.text).toBe('Yes, drop my 1 answer');
    if (!drop) throw new Error('no button');
    // Slack delivers the click twice, once to each replica, at the same moment.
    const payload = chat.clickPayload(confirm, drop);
    const posted = chat.messages.length;
    await Promise.all([a.slack.action(payload), b.slack.action(payload)]);
    await Promise.all([a.slack.idle(), b.slack.idle()]);
    const started = await b.stores.questionnaires.getSession(KEY);
    expect(started?.id).not.toBe(before?.id);
    expect(started).toMatchObject({ step: 0, answers: {} });
    const after = chat.messages.slice(posted);
    expect(after.filter(isQuestion)).toHaveLength(1);
    expect(
      after.filter((message) => message.visibleTo === chat.userId).map((message) => message.text),
    ).toEqual(['That questionnaire has already ended, so nothing changed.']);
    expect(confirm.text).toContain('Starting over: I dropped your 1 answer.');
  });

  it('keeps what the pointer counts in the database: the question comes back in full on either replica', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await chat.dm('start');
    // Replies that match nothing, alternating replicas: a pointer each, until the question is far up.
    const pointers = Math.floor(QUESTION_OUT_OF_SIGHT.messages / 2);
    const outcomes: boolean[] = [];
    for (let index = 0; index <= pointers; index++) {
      chat.use((index % 2 === 0 ? b : a).slack);
      outcomes.push((await chat.dm('bananas')).some(isQuestion));
    }
    expect(outcomes).toEqual([...Array.from({ length: pointers }, () => false), true]);
    expect((await a.stores.questionnaires.getSession(KEY))?.messagesBelow).toBeUndefined();
  });
});
