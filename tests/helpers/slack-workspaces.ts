import nock from 'nock';
import { slackPayloads } from '../../src/local/slack-payloads.js';
import { decodeSlackBody, type Params, SlackWebApi } from '../../src/local/slack-web-api.js';
import type { SlackWorkspace } from '../../src/local/slack-workspace.js';
import { BOT_SCOPES } from '../../src/slack-ids.js';
import { RESPONSE_URL_HOST, type RunningApp, SLACK_API, TEST_WORKSPACE } from './slack.js';

/** A second workspace, with ids of its own. */
export const OTHER_WORKSPACE: SlackWorkspace = {
  teamId: 'T0OTHER0002',
  teamDomain: 'otherteam',
  teamName: 'Other team',
  appId: TEST_WORKSPACE.appId,
  botUserId: 'U0BOT00002',
  botId: 'B0BOT00002',
  botName: 'advisor',
  userId: 'U0PERSON002',
  userName: 'sam',
  channelId: 'C0CHANNEL02',
  channelName: 'pm-talk',
  dmChannelId: 'D0PERSON002',
};

export const OAUTH = {
  clientId: '1111111111.2222222222',
  clientSecret: 'test-client-secret-0123456789',
  stateSecret: 'test-state-secret-0123456789abcdef',
  authorizationUrl: 'https://slack.com/oauth/v2/authorize',
  adminInstalls: false,
};

/** A Web API call as the Slack side received it, with the token it came with and the workspace that token is for. */
export interface ReceivedCall {
  method: string;
  params: Params;
  authorization: string | undefined;
  teamId: string | undefined;
}

/**
 * Several workspaces' Slack sides behind one slack.com (nock): oauth.v2.access goes to the workspace whose
 * authorize page handed out the code, every other call to the workspace whose bot token it carries; a call with a
 * token no workspace issued is answered `invalid_auth`, as Slack does.
 */
export class SlackWorkspaces {
  readonly apis: SlackWebApi[];
  readonly calls: ReceivedCall[] = [];

  constructor(workspaces: SlackWorkspace[]) {
    this.apis = workspaces.map((workspace) => new SlackWebApi(workspace, `${RESPONSE_URL_HOST}/actions/`));
    const calls = this.calls;
    const route = (method: string, params: Params, authorization: string | undefined) => {
      const token = authorization?.replace(/^Bearer /, '');
      const api =
        method === 'oauth.v2.access'
          ? this.apis.find((candidate) =>
              String(params.code ?? '').startsWith(`${candidate.workspace.teamId}.`),
            )
          : this.apis.find((candidate) => token !== undefined && candidate.issuedTokens.includes(token));
      calls.push({ method, params, authorization, teamId: api?.workspace.teamId });
      if (!api) return { status: 200, body: { ok: false, error: 'invalid_auth' }, headers: {} };
      return api.answer(method, params, token);
    };
    nock(SLACK_API)
      .persist()
      .post(/^\/api\//)
      .reply(function reply(uri, body) {
        const header = this.req.headers.authorization;
        const answer = route(
          uri.replace(/^\/api\//, ''),
          decodeSlackBody(body),
          Array.isArray(header) ? header[0] : header,
        );
        return [answer.status, answer.body, answer.headers];
      });
  }

  api(workspace: SlackWorkspace): SlackWebApi {
    const api = this.apis.find((candidate) => candidate.workspace.teamId === workspace.teamId);
    if (!api) throw new Error(`no Slack side for ${workspace.teamId}`);
    return api;
  }

  /** The calls of one method, as received. */
  callsOf(method: string): ReceivedCall[] {
    return this.calls.filter((call) => call.method === method);
  }
}

export interface InstallStart {
  status: number;
  html: string;
  /** The state cookie's value (Set-Cookie slack-app-oauth-state=…). */
  state: string | undefined;
  /** The "Add to Slack" link's target. */
  authorizeUrl: URL | undefined;
}

/** GET /slack/install, as a browser opens it. */
export async function openInstallPage(slack: Pick<RunningApp, 'baseUrl'>): Promise<InstallStart> {
  const response = await fetch(`${slack.baseUrl}/slack/install`, { redirect: 'manual' });
  const html = await response.text();
  const cookie = response.headers.get('set-cookie') ?? '';
  const state = /slack-app-oauth-state=([^;]+)/.exec(cookie)?.[1];
  const href = /<a href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  return { status: response.status, html, state, authorizeUrl: href ? new URL(href) : undefined };
}

/** Slack sends the browser back to /slack/oauth_redirect with the code (and the state), with the state cookie. */
export async function completeInstall(
  slack: Pick<RunningApp, 'baseUrl'>,
  { code, state, cookie = state }: { code: string; state?: string; cookie?: string },
): Promise<{ status: number; html: string }> {
  const query = new URLSearchParams({ code, ...(state ? { state } : {}) });
  const response = await fetch(`${slack.baseUrl}/slack/oauth_redirect?${query}`, {
    redirect: 'manual',
    headers: cookie ? { cookie: `slack-app-oauth-state=${cookie}` } : {},
  });
  return { status: response.status, html: await response.text() };
}

/** The whole install of one workspace: the install page, "Allow" on Slack's page, the redirect back. */
export async function install(slack: Pick<RunningApp, 'baseUrl'>, api: SlackWebApi): Promise<string> {
  const { state } = await openInstallPage(slack);
  if (!state) throw new Error('no state cookie from /slack/install');
  const { status, html } = await completeInstall(slack, {
    code: api.issueInstallCode(BOT_SCOPES.join(',')),
    state,
  });
  if (status !== 200) throw new Error(`install failed (${status}): ${html}`);
  const token = api.issuedTokens.at(-1);
  if (!token) throw new Error('no token issued');
  return token;
}

/** Requests from a workspace, as Slack sends them. */
export function payloadsOf(workspace: SlackWorkspace) {
  return slackPayloads(workspace);
}
