import { createHmac } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Logger, LogLevel } from '@slack/bolt';
import nock from 'nock';
import { type AdvisorApp, createApp, EVENTS_PATH } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectRoot } from '../../src/paths.js';
import { type DataStores, openDataStores } from '../../src/store/data-stores.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const TEAM_ID = 'T0TEST0001';
export const BOT_USER_ID = 'U0BOT00001';
export const SLACK_API = 'https://slack.com';
export const RESPONSE_URL_HOST = 'https://hooks.slack.com';

/**
 * Closes the network for the test file: only loopback (the app under test) is reachable. nock is turned on here:
 * tests/setup/restore-http.ts turns it off around every file.
 */
export function closeNetwork(): void {
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    mode: 'http',
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    port: 0,
    slackApiUrl: `${SLACK_API}/api/`,
    slackApiTimeoutMs: 2_000,
    slackApiRetries: 0,
    dataFile: path.join(projectRoot, 'data', 'unused-test.json'),
    knowledgeDir: path.join(projectRoot, 'knowledge'),
    logLevel: LogLevel.ERROR,
    shutdownTimeoutMs: 1_000,
    questionnaireTtlMs: 24 * 60 * 60 * 1000,
    ...overrides,
  };
}

/** A logger that keeps what it is told, so tests can assert on logged failures. */
export function recordingLogger(): Logger & { lines: { level: string; args: unknown[] }[] } {
  const lines: { level: string; args: unknown[] }[] = [];
  let level = LogLevel.DEBUG;
  return {
    lines,
    debug: (...args: unknown[]) => void lines.push({ level: 'debug', args }),
    info: (...args: unknown[]) => void lines.push({ level: 'info', args }),
    warn: (...args: unknown[]) => void lines.push({ level: 'warn', args }),
    error: (...args: unknown[]) => void lines.push({ level: 'error', args }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function signRequest(
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  secret = SIGNING_SECRET,
) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SlackResponse {
  status: number;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** The app under test, its lowdb stores (to assert on what it stored) and ways to reach it as Slack does. */
export interface RunningApp extends DataStores {
  advisor: AdvisorApp;
  baseUrl: string;
  knowledge: Knowledge;
  logger: ReturnType<typeof recordingLogger>;
  /** POSTs a body to /slack/events, signed like Slack signs it (unless `headers` override the signature). */
  post(body: string, contentType: string, headers?: Record<string, string>): Promise<SlackResponse>;
  command(text: string, overrides?: Record<string, string>): Promise<SlackResponse>;
  action(payload: Record<string, unknown>): Promise<SlackResponse>;
  event(body: Record<string, unknown>, headers?: Record<string, string>): Promise<SlackResponse>;
  /** Resolves when the app has finished handling everything it received (handlers run after the ack). */
  idle(): Promise<void>;
  /** Stops this app and starts a new one on the same data file, as a process restart would. */
  restart(): Promise<RunningApp>;
  dataFile: string;
  stop(): Promise<void>;
}

/** Stubs the auth.test call Bolt makes once at start-up to learn the bot's identity. */
export function stubAuthTest(): nock.Scope {
  return nock(SLACK_API).post('/api/auth.test').reply(200, {
    ok: true,
    team_id: TEAM_ID,
    user_id: BOT_USER_ID,
    bot_id: 'B0BOT00001',
    team: 'Test team',
  });
}

/** Starts the real app in HTTP mode on a free loopback port. */
export async function startApp(
  options: { config?: Partial<Config>; knowledgeDir?: string; now?: () => Date } = {},
): Promise<RunningApp> {
  const dataFile =
    options.config?.dataFile ?? path.join(await mkdtemp(path.join(tmpdir(), 'pm-advisor-test-')), 'db.json');
  const config = testConfig({
    ...options.config,
    dataFile,
    ...(options.knowledgeDir ? { knowledgeDir: options.knowledgeDir } : {}),
  });
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const logger = recordingLogger();
  stubAuthTest();
  const stores = await openDataStores(config.dataFile, logger, options.now);
  const advisor = createApp(config, { knowledge, ...stores, logger, now: options.now });
  const { port } = await advisor.start();
  const baseUrl = `http://127.0.0.1:${port}`;

  const post = async (body: string, contentType: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${EVENTS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signRequest(body), ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: <T>() => JSON.parse(text) as T };
  };
  return {
    advisor,
    baseUrl,
    knowledge,
    ...stores,
    logger,
    post,
    command: (text, overrides = {}) =>
      post(
        new URLSearchParams(commandPayload({ text, ...overrides })).toString(),
        'application/x-www-form-urlencoded',
      ),
    action: (payload) =>
      post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      ),
    event: (body, headers) => post(JSON.stringify(body), 'application/json', headers),
    dataFile,
    idle: async () => {
      if (!(await advisor.idle())) throw new Error('the app did not become idle');
    },
    restart: async () => {
      await advisor.stop();
      return startApp({ ...options, config: { ...options.config, dataFile } });
    },
    stop: () => advisor.stop(),
  };
}

export function commandPayload(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'testteam',
    channel_id: 'C0CHANNEL01',
    channel_name: 'career-talk',
    user_id: 'U0PERSON001',
    user_name: 'alex',
    command: '/pm-compare',
    text: '',
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: `${RESPONSE_URL_HOST}/commands/${TEAM_ID}/1234/abcd`,
    trigger_id: '1234.5678.abcdef',
    ...overrides,
  };
}

/** A block_actions payload for a button click, as Slack sends it. */
export function buttonClickPayload(options: {
  actionId: string;
  value: string;
  userId?: string;
  isEphemeral?: boolean;
  responseUrl?: string;
  channelId?: string;
}): Record<string, unknown> {
  const channelId = options.channelId ?? 'C0CHANNEL01';
  return {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'testteam' },
    user: { id: options.userId ?? 'U0PERSON001', username: 'alex', team_id: TEAM_ID },
    api_app_id: 'A0APP00001',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: channelId,
      is_ephemeral: options.isEphemeral ?? true,
    },
    trigger_id: '1234.5678.abcdef',
    channel: { id: channelId, name: 'career-talk' },
    response_url: options.responseUrl ?? `${RESPONSE_URL_HOST}/actions/${TEAM_ID}/999/xyz`,
    actions: [
      {
        type: 'button',
        action_id: options.actionId,
        block_id: 'compare-actions',
        text: { type: 'plain_text', text: 'button', emoji: true },
        value: options.value,
        action_ts: '1700000001.000200',
      },
    ],
  };
}

/** An event_callback envelope around an event, as the Events API delivers it. */
export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
) {
  return {
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0APP00001',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true }],
  };
}

/** Decodes a form-encoded or JSON request body that the app sent to Slack (blocks arrive as a JSON string). */
export function decodeSlackBody(body: unknown): Record<string, unknown> {
  const record: Record<string, unknown> =
    typeof body === 'string'
      ? Object.fromEntries(new URLSearchParams(body))
      : { ...(body as Record<string, unknown>) };
  for (const key of ['blocks', 'view']) {
    if (typeof record[key] === 'string') record[key] = JSON.parse(record[key] as string);
  }
  return record;
}

/** Intercepts the next POST to a button's response_url and collects its body (what the clicker is shown). */
export function captureResponseUrl(urlPath = `/actions/${TEAM_ID}/999/xyz`): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  nock(RESPONSE_URL_HOST)
    .post(urlPath, (body) => {
      bodies.push(body as Record<string, unknown>);
      return true;
    })
    .reply(200, { ok: true });
  return bodies;
}
