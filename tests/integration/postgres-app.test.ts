import { afterAll, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { createApp, EVENTS_PATH } from '../../src/app.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { decodeSlackBody } from '../../src/local/slack-web-api.js';
import { signedSlackRequest } from '../../src/slack-request.js';
import { openPgStores, type PgStores } from '../../src/store/postgres/open.js';
import { describePostgres, testDatabase } from '../helpers/postgres.js';
import {
  appMention,
  BOT_USER_ID,
  closeNetwork,
  eventCallback,
  recordingLogger,
  SIGNING_SECRET,
  SLACK_API,
  stubAuthTest,
  testConfig,
} from '../helpers/slack.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';

/** Polls until the check passes: waiting for an event, not for time. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePostgres('the app on PostgreSQL (DATABASE_URL), over signed HTTP', () => {
  const database = testDatabase();
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  let stores: PgStores;
  let advisor: ReturnType<typeof createApp>;
  let baseUrl: string;

  beforeAll(async () => {
    closeNetwork();
    const server = new URL(database.url);
    proxy = await tcpProxy({ host: server.hostname, port: Number(server.port) });
    const logger = recordingLogger();
    stores = await openPgStores(proxy.url(database.url), logger, { probeIntervalMs: 50 });
    stubAuthTest();
    const config = testConfig({ databaseUrl: proxy.url(database.url) });
    advisor = createApp(config, { knowledge: await loadKnowledge(config.knowledgeDir), ...stores, logger });
    baseUrl = `http://127.0.0.1:${(await advisor.start()).port}`;
  });

  afterAll(async () => {
    await advisor?.stop();
    await stores?.close();
    await proxy?.close();
  });

  const ask = async (text: string, eventId: string) => {
    const { body, headers } = signedSlackRequest(
      SIGNING_SECRET,
      eventCallback(appMention({ text: `<@${BOT_USER_ID}> ${text}`, ts: '1700000100.000100' }), {
        event_id: eventId,
      }),
    );
    return fetch(`${baseUrl}${EVENTS_PATH}`, { method: 'POST', headers, body });
  };
  const health = async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    return { status: response.status, body: (await response.json()) as { problem?: string } };
  };

  it('answers a question and logs it in the database; a retried delivery is not answered again', async () => {
    const posts: Record<string, unknown>[] = [];
    nock(SLACK_API)
      .post('/api/chat.postMessage', (body) => {
        posts.push(decodeSlackBody(body));
        return true;
      })
      .times(2)
      .reply(200, { ok: true, ts: '1700000200.000200' });
    expect((await ask('do I need to code to be an IT product manager?', 'Ev0PGAPP0001')).status).toBe(200);
    await eventually(async () => Object.keys((await stores.qaLog.read()).answers).length === 1);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toMatch(/Sources?:/);
    // Slack's retry of the same event, which another replica could receive just as well.
    expect((await ask('do I need to code to be an IT product manager?', 'Ev0PGAPP0001')).status).toBe(200);
    await advisor.idle();
    expect(posts).toHaveLength(1);
    nock.cleanAll();
  });

  it('/healthz answers 503 naming the database (password masked) while it is unreachable, and 200 once it is back', async () => {
    expect((await health()).status).toBe(200);
    await proxy.cut();
    // The next change finds the database gone.
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .optionally()
      .reply(200, { ok: true, ts: '1700000300.000300' });
    await ask('what does a product owner do?', 'Ev0PGAPP0002');
    await eventually(async () => (await health()).status === 503);
    const { body } = await health();
    expect(body.problem).toContain('postgres://');
    expect(body.problem).not.toContain(new URL(database.url).password);
    await proxy.restore();
    await eventually(async () => (await health()).status === 200);
    nock.cleanAll();
  });
});
