import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import slackOAuth from '@slack/oauth';
import nock from 'nock';
import { personKey } from '../../src/advisor/person.js';
import { SlackApiStandIn } from '../../src/local/slack-api-stand-in.js';
import { BOT_SCOPES } from '../../src/slack-ids.js';
import { InstallationFile } from '../../src/store/installation-store.js';
import { journalPathFor } from '../../src/store/journal-file.js';
import { closeNetwork, type RunningApp, startApp, TEST_WORKSPACE } from '../helpers/slack.js';
import {
  completeInstall,
  install,
  OAUTH,
  OTHER_WORKSPACE,
  openInstallPage,
  payloadsOf,
  SlackWorkspaces,
} from '../helpers/slack-workspaces.js';
import { waitFor } from '../helpers/wait.js';

const A = TEST_WORKSPACE;
const B = OTHER_WORKSPACE;
const TOKEN_KEY = 'a'.repeat(64);

let slack: RunningApp;
let workspaces: SlackWorkspaces;

beforeAll(async () => {
  closeNetwork();
  slack = await startApp({ config: { botToken: '', oauth: OAUTH, tokenEncryptionKey: TOKEN_KEY } });
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  await slack.stop();
  nock.enableNetConnect();
});

/** A fresh Slack side for each test (nock is cleaned after each). */
function slackSides(): SlackWorkspaces {
  workspaces = new SlackWorkspaces([A, B]);
  return workspaces;
}

/** "@advisor <question>" in the workspace's channel. */
async function mention(workspace: typeof A, text: string) {
  const payloads = payloadsOf(workspace);
  const response = await slack.event(
    payloads.eventCallback(payloads.appMention({ text: `<@${workspace.botUserId}> ${text}` })),
  );
  expect(response.status).toBe(200);
  await slack.idle();
}

/** "help me choose" in the person's DM: starts a questionnaire (stored per person). */
async function startQuestionnaire(workspace: typeof A) {
  const payloads = payloadsOf(workspace);
  await slack.event(payloads.eventCallback(payloads.directMessage({ text: 'help me choose' })));
  await slack.idle();
}

async function uninstallEvent(
  workspace: typeof A,
  event: { type: string; tokens?: { oauth?: string[]; bot?: string[] } },
  eventTime = Math.floor(Date.now() / 1000),
) {
  const payloads = payloadsOf(workspace);
  const response = await slack.event(
    payloads.eventCallback(event as { type: 'app_uninstalled' }, { event_time: eventTime }),
  );
  expect(response.status).toBe(200);
  await slack.idle();
}

describe('GET /slack/install', () => {
  it('sets a signed state cookie and links "Add to Slack" to the authorize URL with the manifest bot scopes', async () => {
    const page = await openInstallPage(slack);
    expect(page.status).toBe(200);
    expect(page.state).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(page.authorizeUrl?.origin + (page.authorizeUrl?.pathname ?? '')).toBe(OAUTH.authorizationUrl);
    expect(page.authorizeUrl?.searchParams.get('client_id')).toBe(OAUTH.clientId);
    expect(page.authorizeUrl?.searchParams.get('state')).toBe(page.state);
    expect(page.authorizeUrl?.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
  });
});

describe('GET /slack/oauth_redirect', () => {
  it('exchanges the code (oauth.v2.access), checks the token (auth.test) and stores the installation', async () => {
    const sides = slackSides();
    const token = await install(slack, sides.api(A));
    expect(sides.callsOf('oauth.v2.access')[0]?.params).toMatchObject({
      client_id: OAUTH.clientId,
      client_secret: OAUTH.clientSecret,
    });
    expect(sides.callsOf('auth.test').at(-1)?.authorization).toBe(`Bearer ${token}`);
    const stored = await slack.installations.find({ teamId: A.teamId, isEnterpriseInstall: false });
    expect(stored).toMatchObject({
      teamId: A.teamId,
      isEnterpriseInstall: false,
      botToken: token,
      botId: A.botId,
      botUserId: A.botUserId,
      scopes: [...BOT_SCOPES],
      installerUserId: A.userId,
    });
    expect(Date.now() - Date.parse(stored?.installedAt ?? '')).toBeLessThan(60_000);
  });

  it('keeps the token sealed on disk (TOKEN_ENCRYPTION_KEY set)', async () => {
    const sides = slackSides();
    const token = await install(slack, sides.api(B));
    await slack.installations.flush();
    const file = InstallationFile.fileFor(slack.dataFile);
    const onDisk = `${await readFile(file, 'utf8').catch(() => '')}${await readFile(journalPathFor(file), 'utf8')}`;
    expect(onDisk).toContain(B.teamId);
    expect(onDisk).not.toContain(token);
    expect(onDisk).toContain('enc:v1:');
  });

  it('refuses a state not signed with SLACK_STATE_SECRET', async () => {
    const sides = slackSides();
    const forged = await new slackOAuth.ClearStateStore('another-secret-0123456789abcdef').generateStateParam(
      { scopes: [...BOT_SCOPES] },
      new Date(),
    );
    const response = await completeInstall(slack, { code: sides.api(A).issueInstallCode(), state: forged });
    expect(response.status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toEqual([]);
  });

  it('refuses a state that is not the one in this browser’s cookie', async () => {
    const sides = slackSides();
    const { state } = await openInstallPage(slack);
    const other = await openInstallPage(slack);
    const response = await completeInstall(slack, {
      code: sides.api(A).issueInstallCode(),
      state,
      cookie: other.state,
    });
    expect(response.status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toEqual([]);
  });

  it('refuses a state used once already (a replayed redirect)', async () => {
    const sides = slackSides();
    const { state } = await openInstallPage(slack);
    expect((await completeInstall(slack, { code: sides.api(A).issueInstallCode(), state })).status).toBe(200);
    const replay = await completeInstall(slack, { code: sides.api(A).issueInstallCode(), state });
    expect(replay.status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toHaveLength(1);
  });

  it('refuses an expired state (older than 10 minutes)', async () => {
    const sides = slackSides();
    const old = await new slackOAuth.ClearStateStore(OAUTH.stateSecret).generateStateParam(
      { scopes: [...BOT_SCOPES] },
      new Date(Date.now() - 11 * 60 * 1000),
    );
    const response = await completeInstall(slack, { code: sides.api(A).issueInstallCode(), state: old });
    expect(response.status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toEqual([]);
  });
});

describe('many workspaces', () => {
  it('answers each workspace with its own bot token', async () => {
    const sides = slackSides();
    const tokenA = await install(slack, sides.api(A));
    const tokenB = await install(slack, sides.api(B));
    expect(tokenA).not.toBe(tokenB);
    await mention(A, 'do I need to code to be an IT product manager?');
    await mention(B, 'do I need to code to be an IT product manager?');
    const posts = sides.callsOf('chat.postMessage');
    expect(posts.map((post) => [post.params.channel, post.authorization])).toEqual([
      [A.channelId, `Bearer ${tokenA}`],
      [B.channelId, `Bearer ${tokenB}`],
    ]);
  });

  it('answers nothing in a workspace that has not installed the app', async () => {
    const sides = slackSides();
    await slack.installations.delete({ teamId: B.teamId, isEnterpriseInstall: false });
    await mention(B, 'what does a product owner do?');
    expect(sides.callsOf('chat.postMessage')).toEqual([]);
  });
});

describe('uninstall', () => {
  it("app_uninstalled deletes that workspace's installation and people's data, and nothing of another's", async () => {
    const sides = slackSides();
    await install(slack, sides.api(A));
    const tokenB = await install(slack, sides.api(B));
    for (const workspace of [A, B]) {
      await mention(workspace, 'do I need to code to be an IT product manager?');
      await mention(workspace, 'what is the capital of the moon?');
      await startQuestionnaire(workspace);
    }
    const teamsLogged = () => new Set(Object.values(slack.qaLog.data.answers).map((answer) => answer.teamId));
    await waitFor(() => teamsLogged().has(A.teamId) && teamsLogged().has(B.teamId));
    const personA = personKey({ teamId: A.teamId, userId: A.userId });
    const personB = personKey({ teamId: B.teamId, userId: B.userId });
    expect(await slack.questionnaires.getSession(personA)).toBeDefined();

    await uninstallEvent(A, { type: 'app_uninstalled' });

    expect(await slack.installations.find({ teamId: A.teamId, isEnterpriseInstall: false })).toBeUndefined();
    expect(teamsLogged()).toEqual(new Set([B.teamId]));
    expect(slack.qaLog.data.unanswered.map((question) => question.teamId)).not.toContain(A.teamId);
    expect(await slack.questionnaires.getSession(personA)).toBeUndefined();
    expect(await slack.questionnaires.getSession(personB)).toBeDefined();
    expect((await slack.installations.find({ teamId: B.teamId, isEnterpriseInstall: false }))?.botToken).toBe(
      tokenB,
    );
    // Nothing about the workspace stays in the Q&A log's journal either.
    await slack.qaLog.flush();
    const log = `${await readFile(slack.dataFile, 'utf8')}${await readFile(journalPathFor(slack.dataFile), 'utf8')}`;
    expect(log).not.toContain(A.teamId);
    expect(log).toContain(B.teamId);
  });

  it('a late app_uninstalled, older than a reinstall, deletes nothing', async () => {
    const sides = slackSides();
    const token = await install(slack, sides.api(A));
    await uninstallEvent(A, { type: 'app_uninstalled' }, Math.floor(Date.now() / 1000) - 60);
    expect((await slack.installations.find({ teamId: A.teamId, isEnterpriseInstall: false }))?.botToken).toBe(
      token,
    );
  });

  it('tokens_revoked deletes the installation only when the bot token is among them', async () => {
    const sides = slackSides();
    await install(slack, sides.api(A));
    await uninstallEvent(A, { type: 'tokens_revoked', tokens: { oauth: [A.userId] } });
    expect(await slack.installations.find({ teamId: A.teamId, isEnterpriseInstall: false })).toBeDefined();
    await uninstallEvent(A, { type: 'tokens_revoked', tokens: { bot: [A.botUserId] } });
    expect(await slack.installations.find({ teamId: A.teamId, isEnterpriseInstall: false })).toBeUndefined();
  });
});

describe('offline, against the loopback Web API stand-in', () => {
  it('the whole install runs like a browser would: install page → authorize page → redirect → installed', async () => {
    const standIn = await SlackApiStandIn.start(A);
    const offline = await startApp({
      config: {
        botToken: '',
        slackApiUrl: standIn.apiUrl,
        oauth: { ...OAUTH, authorizationUrl: standIn.authorizationUrl },
      },
    });
    try {
      standIn.oauthRedirectUri = `${offline.baseUrl}/slack/oauth_redirect`;
      const page = await openInstallPage(offline);
      expect(page.authorizeUrl?.href.startsWith(standIn.authorizationUrl)).toBe(true);
      const allowed = await fetch(page.authorizeUrl ?? '', { redirect: 'manual' });
      expect(allowed.status).toBe(302);
      const back = new URL(allowed.headers.get('location') ?? '');
      const done = await fetch(back, {
        redirect: 'manual',
        headers: { cookie: `slack-app-oauth-state=${page.state}` },
      });
      expect(done.status).toBe(200);
      expect(
        (await offline.installations.find({ teamId: A.teamId, isEnterpriseInstall: false }))?.botToken,
      ).toBe(standIn.api.issuedTokens[0]);
    } finally {
      await offline.stop();
      await standIn.close();
    }
  });
});

describe('Enterprise Grid: org-wide installs', () => {
  const ORG = 'E0ORG00001';
  let grid: RunningApp;
  beforeAll(async () => {
    grid = await startApp({ config: { botToken: '', oauth: { ...OAUTH, adminInstalls: true } } });
  });
  afterAll(async () => {
    await grid.stop();
  });

  /** A mention from workspace A of the organisation, as Slack sends it for an org-wide install. */
  async function orgMention() {
    const payloads = payloadsOf(A);
    const response = await grid.event(
      payloads.eventCallback(
        payloads.appMention({ text: `<@${A.botUserId}> do I need to code to be an IT product manager?` }),
        {
          enterprise_id: ORG,
          is_enterprise_install: true,
          authorizations: [
            {
              enterprise_id: ORG,
              team_id: null,
              user_id: A.botUserId,
              is_bot: true,
              is_enterprise_install: true,
            },
          ],
        } as object,
      ),
    );
    expect(response.status).toBe(200);
    await grid.idle();
  }

  it('stores an org-wide install under the organisation and answers its workspaces with its token', async () => {
    const sides = slackSides();
    const { state } = await openInstallPage(grid);
    const code = sides.api(A).issueInstallCode(BOT_SCOPES.join(','), { orgWide: { enterpriseId: ORG } });
    expect((await completeInstall(grid, { code, state })).status).toBe(200);
    const token = sides.api(A).issuedTokens.at(-1);
    expect(await grid.installations.find({ enterpriseId: ORG, isEnterpriseInstall: true })).toMatchObject({
      enterpriseId: ORG,
      isEnterpriseInstall: true,
      botToken: token,
    });
    await orgMention();
    expect(sides.callsOf('chat.postMessage').map((post) => post.authorization)).toEqual([`Bearer ${token}`]);
    // The organisation notes the workspace it served, so uninstalling it forgets that workspace's people too.
    expect(
      (await grid.installations.find({ enterpriseId: ORG, isEnterpriseInstall: true }))?.workspaces,
    ).toEqual([A.teamId]);
  });

  it('completes an org-wide install an admin started from the admin page (no state)', async () => {
    await grid.installations.delete({ enterpriseId: ORG, isEnterpriseInstall: true });
    const sides = slackSides();
    const code = sides.api(A).issueInstallCode(BOT_SCOPES.join(','), { orgWide: { enterpriseId: ORG } });
    expect((await completeInstall(grid, { code })).status).toBe(200);
    expect((await grid.installations.find({ enterpriseId: ORG, isEnterpriseInstall: true }))?.botToken).toBe(
      sides.api(A).issuedTokens.at(-1),
    );
  });

  it('refuses a workspace install that comes without a state, and revokes its token', async () => {
    const sides = slackSides();
    const code = sides.api(B).issueInstallCode(BOT_SCOPES.join(','));
    const refused = await completeInstall(grid, { code });
    expect(refused.status).toBe(403);
    expect(refused.html).toMatch(/did not start from this app/);
    expect(await grid.installations.find({ teamId: B.teamId, isEnterpriseInstall: false })).toBeUndefined();
    expect(sides.callsOf('auth.revoke')).toHaveLength(1);
    expect(sides.api(B).issuedTokens).toEqual([]);
  });

  it('still checks the state of every redirect that has one', async () => {
    const sides = slackSides();
    const { state } = await openInstallPage(grid);
    const code = sides.api(A).issueInstallCode(BOT_SCOPES.join(','), { orgWide: { enterpriseId: ORG } });
    expect((await completeInstall(grid, { code, state, cookie: 'another-browser' })).status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toEqual([]);
  });

  it('without SLACK_OAUTH_ADMIN_INSTALLS a redirect without a state is refused before any exchange', async () => {
    const sides = slackSides();
    const code = sides.api(A).issueInstallCode(BOT_SCOPES.join(','), { orgWide: { enterpriseId: ORG } });
    expect((await completeInstall(slack, { code })).status).toBe(400);
    expect(sides.callsOf('oauth.v2.access')).toEqual([]);
  });
});
