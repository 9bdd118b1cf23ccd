import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { type Logger, LogLevel, type SlashCommand } from '@slack/bolt';
import nock from 'nock';
import { type AdvisorApp, createApp, EVENTS_PATH } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { SLACK_HOOKS_URL, slackPayloads } from '../../src/local/slack-payloads.js';
import { authTestResult } from '../../src/local/slack-web-api.js';
import type { SlackWorkspace } from '../../src/local/slack-workspace.js';
import { projectRoot } from '../../src/paths.js';
import { encodeSlackRequest, signSlackRequest } from '../../src/slack-request.js';
import { type DataStores, openDataStores } from '../../src/store/data-stores.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
/** The workspace the tests' requests come from: a person, a channel, their DM with the bot. */
export const TEST_WORKSPACE: SlackWorkspace = {
  teamId: 'T0TEST0001',
  teamDomain: 'testteam',
  teamName: 'Test team',
  appId: 'A0APP00001',
  botUserId: 'U0BOT00001',
  botId: 'B0BOT00001',
  botName: 'advisor',
  userId: 'U0PERSON001',
  userName: 'alex',
  channelId: 'C0CHANNEL01',
  channelName: 'career-talk',
  dmChannelId: 'D0PERSON001',
};
export const TEAM_ID = TEST_WORKSPACE.teamId;
export const BOT_USER_ID = TEST_WORKSPACE.botUserId;
export const SLACK_API = 'https://slack.com';
export const RESPONSE_URL_HOST = SLACK_HOOKS_URL;

/** A message of the bot that the whole channel sees: a click on it is not ephemeral. */
export const PUBLIC_MESSAGE = { channel: TEST_WORKSPACE.channelId, ts: '1700000000.000100' };

/** Requests from the test workspace, as Slack sends them (src/local/slack-payloads.ts). */
export const {
  slashCommand,
  eventCallback,
  directMessage,
  channelMessage,
  appMention,
  appHomeOpened,
  buttonClick,
  homeButtonClick,
  conversationsSelect,
  messageShortcut,
} = slackPayloads(TEST_WORKSPACE);

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
    // How long idle() and stop() wait for handlers. The first question an app answers builds its Q&A index
    // (started lazily, see app.ts), about a second under jest on a busy machine: well within this.
    shutdownTimeoutMs: 5_000,
    questionnaireTtlMs: 24 * 60 * 60 * 1000,
    qaLogRetentionDays: 180,
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

export interface SlackResponse {
  status: number;
  /** The content-type header, null when there is none. */
  contentType: string | null;
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
  /** /pm-compare with this text. */
  command(text: string, overrides?: Partial<SlashCommand>): Promise<SlackResponse>;
  /** A block_actions payload (buttonClick(), conversationsSelect()), posted as Slack posts it. */
  action(payload: object): Promise<SlackResponse>;
  /** An event_callback envelope (eventCallback()), posted as Slack posts it. */
  event(body: object, headers?: Record<string, string>): Promise<SlackResponse>;
  /** Resolves when the app has finished handling everything it received (handlers run after the ack). */
  idle(): Promise<void>;
  /** Stops this app and starts a new one on the same data file, as a process restart would. */
  restart(): Promise<RunningApp>;
  dataFile: string;
  stop(): Promise<void>;
}

/** Stubs the auth.test call Bolt makes once at start-up to learn the bot's identity. */
export function stubAuthTest(): nock.Scope {
  return nock(SLACK_API).post('/api/auth.test').reply(200, authTestResult(TEST_WORKSPACE));
}

export interface StartOptions {
  config?: Partial<Config>;
  knowledgeDir?: string;
  now?: () => Date;
}

/**
 * One app for the tests of a describe block: started (with the network closed) before them, stopped after;
 * after each test every nock stub must have been used. Returns the app: it stands for the one running, so a
 * test's `await slack.restart()` moves every later test to the restarted app too.
 */
export function shareOneApp(options: StartOptions = {}): RunningApp {
  let current: RunningApp | undefined;
  const running = (): RunningApp => {
    if (!current) throw new Error('the shared app is used before beforeAll started it');
    return current;
  };
  const shared = new Proxy({} as RunningApp, {
    get(_target, property) {
      if (property === 'restart')
        return async () => {
          current = await running().restart();
          return shared;
        };
      const value = Reflect.get(running(), property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  beforeAll(async () => {
    closeNetwork();
    current = await startApp(options);
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });
  afterAll(async () => {
    await current?.stop();
    nock.enableNetConnect();
  });
  return shared;
}

/** Starts the real app in HTTP mode on a free loopback port. */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const dataFile =
    options.config?.dataFile ?? path.join(await mkdtemp(path.join(tmpdir(), 'pm-advisor-test-')), 'db.json');
  const config = testConfig({
    ...options.config,
    dataFile,
    ...(options.knowledgeDir ? { knowledgeDir: options.knowledgeDir } : {}),
  });
  const knowledge = await loadKnowledge(config.knowledgeDir);
  const logger = recordingLogger();
  // With OAuth there is no token to check at start: each request's comes from its workspace's installation.
  if (!config.oauth) stubAuthTest();
  const stores = await openDataStores(config.dataFile, logger, options.now, {
    tokenEncryptionKey: config.tokenEncryptionKey,
  });
  const advisor = createApp(config, { knowledge, ...stores, logger, now: options.now });
  const { port } = await advisor.start();
  const baseUrl = `http://127.0.0.1:${port}`;

  const post = async (body: string, contentType: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${EVENTS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signSlackRequest(SIGNING_SECRET, body), ...headers },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      json: <T>() => JSON.parse(text) as T,
    };
  };
  /** Encodes a request as Slack does (form fields, a form `payload`, or JSON) and posts it. */
  const send = (request: object, headers?: Record<string, string>) => {
    const { body, contentType } = encodeSlackRequest(request);
    return post(body, contentType, headers);
  };
  return {
    advisor,
    baseUrl,
    knowledge,
    ...stores,
    logger,
    post,
    command: (text, overrides = {}) => send(slashCommand({ text, ...overrides })),
    action: (payload) => send(payload),
    event: send,
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

/** Intercepts the next `times` POSTs to a button's response_url and collects their bodies (what the clicker is shown). */
export function captureResponseUrl(times = 1): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  nock(RESPONSE_URL_HOST)
    .post(new RegExp(`^/actions/${TEAM_ID}/`), (body) => {
      bodies.push(body as Record<string, unknown>);
      return true;
    })
    .times(times)
    .reply(200, { ok: true });
  return bodies;
}

/** Every Web API call (`/api/<method>`) made while `act` ran, and the app finished with it, that no stub was there for. */
export async function unstubbedCallsDuring(
  act: () => Promise<unknown>,
  idle: () => Promise<void>,
): Promise<string[]> {
  const paths: string[] = [];
  // The app's own endpoint (/slack/events, on loopback) is not Slack's Web API.
  const listener = (request: { path?: string }) => {
    if (request.path?.startsWith('/api/')) paths.push(request.path);
  };
  nock.emitter.on('no match', listener);
  try {
    await act();
    await idle();
  } finally {
    nock.emitter.removeListener('no match', listener);
  }
  return paths;
}
