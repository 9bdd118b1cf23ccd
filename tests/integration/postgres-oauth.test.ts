import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { createApp, EVENTS_PATH } from '../../src/app.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { signedSlackRequest } from '../../src/slack-request.js';
import { openPgStores, type PgStores } from '../../src/store/postgres/open.js';
import { describePostgres, testDatabase } from '../helpers/postgres.js';
import {
  closeNetwork,
  recordingLogger,
  SIGNING_SECRET,
  TEST_WORKSPACE,
  testConfig,
} from '../helpers/slack.js';
import {
  completeInstall,
  install,
  OAUTH,
  OTHER_WORKSPACE,
  openInstallPage,
  payloadsOf,
  SlackWorkspaces,
} from '../helpers/slack-workspaces.js';

const A = TEST_WORKSPACE;
const B = OTHER_WORKSPACE;

/** Two replicas of the app in OAuth mode, each with its own pool on one PostgreSQL database, as behind a load balancer. */
describePostgres('OAuth install with two replicas on PostgreSQL, over HTTP', () => {
  const database = testDatabase();
  const replicas: { advisor: ReturnType<typeof createApp>; stores: PgStores; baseUrl: string }[] = [];
  let sides: SlackWorkspaces;

  beforeAll(async () => {
    closeNetwork();
    const config = testConfig({
      botToken: '',
      oauth: OAUTH,
      databaseUrl: database.url,
      tokenEncryptionKey: 'b'.repeat(64),
    });
    const knowledge = await loadKnowledge(config.knowledgeDir);
    for (let i = 0; i < 2; i++) {
      const logger = recordingLogger();
      const stores = await openPgStores(database.url, logger, {
        tokenEncryptionKey: config.tokenEncryptionKey,
      });
      const advisor = createApp(config, { knowledge, ...stores, logger });
      replicas.push({ advisor, stores, baseUrl: `http://127.0.0.1:${(await advisor.start()).port}` });
    }
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(async () => {
    for (const { advisor, stores } of replicas) {
      await advisor.stop();
      await stores.close();
    }
    nock.enableNetConnect();
  });

  const replica = (index: number) => {
    const found = replicas[index];
    if (!found) throw new Error(`no replica ${index}`);
    return found;
  };

  it('completes an install begun on one replica on the other, and refuses the same redirect replayed to either', async () => {
    sides = new SlackWorkspaces([A, B]);
    const { state } = await openInstallPage(replica(0));
    expect(state).toBeDefined();
    const done = await completeInstall(replica(1), { code: sides.api(A).issueInstallCode(), state });
    expect(done.status).toBe(200);
    // Stored once, for every replica.
    const stored = await replica(0).stores.installations.find({
      teamId: A.teamId,
      isEnterpriseInstall: false,
    });
    expect(stored?.botToken).toBe(sides.api(A).issuedTokens.at(-1));
    for (const index of [1, 0]) {
      const replay = await completeInstall(replica(index), { code: sides.api(A).issueInstallCode(), state });
      expect(replay.status).toBe(400);
    }
    expect(sides.callsOf('oauth.v2.access')).toHaveLength(1);
    // The token is sealed in the table, not in the clear.
    const { rows } = await replica(0).stores.database.query<{ installation: { botToken: string } }>(
      'SELECT installation FROM slack_installations WHERE id = $1',
      [A.teamId],
    );
    expect(rows[0]?.installation.botToken).not.toContain('xoxb-');
  });

  it('answers each workspace with its own token, whichever replica its request reaches', async () => {
    sides = new SlackWorkspaces([A, B]);
    const tokenA = await install(replica(0), sides.api(A));
    const tokenB = await install(replica(1), sides.api(B));
    for (const [index, workspace] of [
      [1, A],
      [0, B],
    ] as const) {
      const payloads = payloadsOf(workspace);
      const { body, headers } = signedSlackRequest(
        SIGNING_SECRET,
        payloads.eventCallback(
          payloads.appMention({
            text: `<@${workspace.botUserId}> do I need to code to be an IT product manager?`,
          }),
        ),
      );
      const response = await fetch(`${replica(index).baseUrl}${EVENTS_PATH}`, {
        method: 'POST',
        headers,
        body,
      });
      expect(response.status).toBe(200);
      expect(await replica(index).advisor.idle()).toBe(true);
    }
    expect(
      sides.callsOf('chat.postMessage').map((post) => [post.params.channel, post.authorization]),
    ).toEqual([
      [A.channelId, `Bearer ${tokenA}`],
      [B.channelId, `Bearer ${tokenB}`],
    ]);
  });
});
