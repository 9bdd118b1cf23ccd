import path from 'node:path';
import { LogLevel } from '@slack/bolt';
import { projectRoot } from './paths.js';
import { databaseUrlProblem } from './store/postgres/database-url.js';

/** `local`: no Slack at all; the terminal chat in src/local/ stands in for Slack. */
export type RunMode = 'socket' | 'http' | 'local';

export interface Config {
  mode: RunMode;
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  port: number;
  /** Base URL of the Slack Web API, ending in a slash (Bolt's clientOptions.slackApiUrl). */
  slackApiUrl: string;
  /** Per-request timeout for outbound Slack Web API calls. */
  slackApiTimeoutMs: number;
  /** How many times a failed Slack Web API call is retried (bounded, with backoff). */
  slackApiRetries: number;
  dataFile: string;
  /** PostgreSQL (DATABASE_URL): the stores live there instead of under dataFile, and replicas can share them. */
  databaseUrl?: string;
  knowledgeDir: string;
  logLevel: LogLevel;
  /** How long shutdown waits for in-flight handlers before giving up on them. */
  shutdownTimeoutMs: number;
  /** A questionnaire idle for longer than this expires (and is pruned from the data file). */
  questionnaireTtlMs: number;
  /** NO_COLOR is set (https://no-color.org): the local chat prints no ANSI colours. */
  noColor?: boolean;
  /** OAuth install for many workspaces (HTTP mode, no SLACK_BOT_TOKEN): served on /slack/install. */
  oauth?: OAuthConfig;
  /** Seals bot tokens at rest (32 bytes as hex or base64, or a passphrase run through scrypt). */
  tokenEncryptionKey?: string;
  /** Questions in the Q&A log older than this are deleted, with their votes. */
  qaLogRetentionDays: number;
  /** Slack user ids (CURATORS) who see the curators' part of the Home tab: unanswered questions and feedback. */
  curators?: readonly string[];
}

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth state (every replica must share it). */
  stateSecret: string;
  /** Slack's authorize page, or the stand-in's beside SLACK_API_URL. */
  authorizationUrl: string;
  /**
   * SLACK_OAUTH_ADMIN_INSTALLS: also accept an org-wide install an Enterprise Grid admin starts from the admin
   * page, which comes back with no state (see slack-installations.ts).
   */
  adminInstalls: boolean;
}

/** `warnings`: settings that still work but should change (a deprecated name); printed at start-up. */
export type ConfigResult =
  | { ok: true; config: Config; warnings: string[] }
  | { ok: false; problems: string[] };

/** Settings renamed, by their new name: the old one is still read, with a warning, when the new one is unset. */
const DEPRECATED_NAMES: Record<string, string> = { QUESTIONNAIRE_TTL_HOURS: 'CONVERSATION_TTL_HOURS' };

/** The environment with each deprecated name read under its new one (unless that is set), and what to rename. */
function withRenamedSettings(env: Env): { env: Env; warnings: string[] } {
  const renamed: Env = { ...env };
  const warnings: string[] = [];
  for (const [name, old] of Object.entries(DEPRECATED_NAMES)) {
    if (!env[old]?.trim()) continue;
    if (env[name]?.trim())
      warnings.push(`${old} is deprecated and ignored, because ${name} is set; remove ${old}.`);
    else {
      renamed[name] = env[old];
      warnings.push(`${old} is deprecated: rename it ${name} (it still works for now).`);
    }
  }
  return { env: renamed, warnings };
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
/** The bot token of local mode: only ever sent to the in-process Web API stand-in. */
export const LOCAL_BOT_TOKEN = 'xoxb-local';
const CREDENTIALS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;
const OAUTH_SETTINGS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
export const DEFAULT_AUTHORIZATION_URL = 'https://slack.com/oauth/v2/authorize';

const APP_SETTINGS = 'https://api.slack.com/apps → your app';
const LOG_LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

type Env = Record<string, string | undefined>;

function readInteger(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
    return fallback;
  }
  return value;
}

/** A path from the environment is relative to the working directory; a default is relative to the project. */
function resolvePath(raw: string | undefined, fallback: string): string {
  const value = raw?.trim();
  return value ? path.resolve(value) : path.join(projectRoot, fallback);
}

function readSlackApiUrl(env: Env, problems: string[]): string {
  const raw = env.SLACK_API_URL?.trim();
  if (!raw) return DEFAULT_SLACK_API_URL;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  } catch {
    problems.push(`SLACK_API_URL must be an http(s) URL such as ${DEFAULT_SLACK_API_URL} (got "${raw}").`);
    return DEFAULT_SLACK_API_URL;
  }
}

/** A Slack user id as Slack writes them: U… or, for Enterprise Grid, W…. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** CURATORS: comma-separated user ids (spaces and empty items ignored). */
function readCurators(env: Env, problems: string[]): string[] {
  const ids = (env.CURATORS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const wrong = ids.filter((id) => !USER_ID.test(id));
  if (wrong.length > 0)
    problems.push(
      `CURATORS must be Slack user ids separated by commas, such as U012AB3CD,U045EF6GH (got ${wrong.map((id) => `"${id}"`).join(', ')}). A person's id: their profile → ⋮ → Copy member ID.`,
    );
  return [...new Set(ids.filter((id) => USER_ID.test(id)))];
}

/** DATABASE_URL, checked; local mode keeps its own data file (trying the app never mixes into a database). */
function readDatabaseUrl(
  env: Env,
  local: boolean,
  problems: string[],
  warnings: string[],
): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return undefined;
  const problem = databaseUrlProblem(raw);
  if (problem) {
    problems.push(problem);
    return undefined;
  }
  if (local) {
    warnings.push('DATABASE_URL is ignored in local mode, which keeps its own data file (DATA_FILE).');
    return undefined;
  }
  return raw;
}

/** Empty SLACK_MODE: local with no Slack credentials at all, else socket with an app token, else http. */
function readMode(env: Env, appToken: string | undefined, problems: string[]): RunMode {
  const raw = env.SLACK_MODE?.trim().toLowerCase();
  if (!raw) {
    if ([...CREDENTIALS, ...OAUTH_SETTINGS].every((name) => !env[name]?.trim())) return 'local';
    return appToken ? 'socket' : 'http';
  }
  if (raw === 'socket' || raw === 'http' || raw === 'local') return raw;
  problems.push(
    `SLACK_MODE must be "socket", "http" or "local" (got "${env.SLACK_MODE}"), or left empty to choose automatically.`,
  );
  return appToken ? 'socket' : 'http';
}

function checkCredentials(
  mode: RunMode,
  { botToken, signingSecret, appToken }: { botToken: string; signingSecret?: string; appToken?: string },
  problems: string[],
  automaticMode: boolean,
  oauth = false,
): void {
  if (oauth) {
    if (botToken)
      problems.push(
        'SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to let workspaces install the app (OAuth), not both.',
      );
    if (mode === 'socket')
      problems.push(
        'The OAuth install (SLACK_CLIENT_ID) is served in HTTP mode: leave SLACK_APP_TOKEN empty or set SLACK_MODE=http.',
      );
  } else if (!botToken) {
    problems.push(
      `SLACK_BOT_TOKEN is missing. Copy the "Bot User OAuth Token" (xoxb-…) from ${APP_SETTINGS} → OAuth & Permissions (install the app to your workspace first).`,
    );
  } else if (!botToken.startsWith('xoxb-')) {
    problems.push(
      `SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"; find it at ${APP_SETTINGS} → OAuth & Permissions → Bot User OAuth Token.`,
    );
  }
  if (mode === 'socket') {
    if (!appToken) {
      problems.push(
        `SLACK_APP_TOKEN is missing, and Socket Mode needs it. Create an app-level token (xapp-…) with the connections:write scope at ${APP_SETTINGS} → Basic Information → App-Level Tokens, or set SLACK_MODE=http.`,
      );
    } else if (!appToken.startsWith('xapp-')) {
      problems.push(
        `SLACK_APP_TOKEN must be an app-level token starting with "xapp-"; create one at ${APP_SETTINGS} → Basic Information → App-Level Tokens (scope connections:write).`,
      );
    }
  }
  if (mode === 'http' && !signingSecret) {
    problems.push(
      `SLACK_SIGNING_SECRET is missing, and HTTP mode needs it to verify requests. Copy the "Signing Secret" from ${APP_SETTINGS} → Basic Information → App Credentials.${automaticMode ? ' Or, for Socket Mode (no public URL needed), set SLACK_APP_TOKEN instead.' : ''}`,
    );
  }
  if (signingSecret && /\s/.test(signingSecret)) {
    problems.push('SLACK_SIGNING_SECRET contains spaces; paste it again exactly as Slack shows it.');
  }
}

/** SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: all or none. */
function readOAuth(env: Env, slackApiUrl: string, problems: string[]): OAuthConfig | undefined {
  const [clientId, clientSecret, stateSecret] = OAUTH_SETTINGS.map((name) => env[name]?.trim() ?? '');
  if (!clientId && !clientSecret && !stateSecret) return undefined;
  const missing = OAUTH_SETTINGS.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    problems.push(
      `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: the OAuth install needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (${APP_SETTINGS} → Basic Information → App Credentials) and SLACK_STATE_SECRET (any random string of 32+ characters, the same on every replica).`,
    );
    return undefined;
  }
  if ((stateSecret ?? '').length < 16)
    problems.push('SLACK_STATE_SECRET must be at least 16 characters (use 32+ random ones).');
  // Offline (SLACK_API_URL pointing at a stand-in), the authorize page is the stand-in's too.
  const authorizationUrl =
    slackApiUrl === DEFAULT_SLACK_API_URL
      ? DEFAULT_AUTHORIZATION_URL
      : new URL('../oauth/v2/authorize', slackApiUrl).href;
  const adminInstalls = env.SLACK_OAUTH_ADMIN_INSTALLS?.trim().toLowerCase() ?? '';
  if (!['', 'true', 'false'].includes(adminInstalls))
    problems.push(
      `SLACK_OAUTH_ADMIN_INSTALLS must be true or false (it is "${adminInstalls.slice(0, 20)}").`,
    );
  return {
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    stateSecret: stateSecret ?? '',
    authorizationUrl,
    adminInstalls: adminInstalls === 'true',
  };
}

/** Reads and validates the environment. The only module that looks at process.env. */
export function loadConfig(rawEnv: Env = process.env): ConfigResult {
  const problems: string[] = [];
  const { env, warnings } = withRenamedSettings(rawEnv);
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || undefined;
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  const mode = readMode(env, appToken, problems);
  const slackApiUrl = readSlackApiUrl(env, problems);
  const oauth = mode === 'local' ? undefined : readOAuth(env, slackApiUrl, problems);

  // Local mode talks to no Slack, so Slack credentials are neither needed nor used there.
  if (mode !== 'local')
    checkCredentials(
      mode,
      { botToken, signingSecret, appToken },
      problems,
      !env.SLACK_MODE?.trim(),
      oauth !== undefined || Boolean(env.SLACK_CLIENT_ID?.trim()),
    );

  const logLevelRaw = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  const logLevel = LOG_LEVELS[logLevelRaw];
  if (!logLevel) problems.push(`LOG_LEVEL must be one of debug, info, warn, error (got "${env.LOG_LEVEL}").`);

  const local = mode === 'local';
  const databaseUrl = readDatabaseUrl(env, local, problems, warnings);
  const config: Config = {
    mode,
    botToken: local ? LOCAL_BOT_TOKEN : botToken,
    signingSecret: local ? undefined : signingSecret,
    appToken: local ? undefined : appToken,
    port: readInteger(env, 'PORT', 3000, 0, 65535, problems),
    slackApiUrl,
    slackApiTimeoutMs: readInteger(env, 'SLACK_API_TIMEOUT_MS', 10_000, 100, 120_000, problems),
    slackApiRetries: readInteger(env, 'SLACK_API_RETRIES', 3, 0, 10, problems),
    // Local mode keeps its own data file, so trying the app never mixes into a workspace's answers and feedback.
    dataFile: resolvePath(env.DATA_FILE, local ? 'data/local.json' : 'data/db.json'),
    ...(databaseUrl ? { databaseUrl } : {}),
    knowledgeDir: resolvePath(env.KNOWLEDGE_DIR, 'knowledge'),
    logLevel: logLevel ?? LogLevel.INFO,
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 5_000, 0, 60_000, problems),
    questionnaireTtlMs:
      readInteger(env, 'QUESTIONNAIRE_TTL_HOURS', 24, 1, 24 * 90, problems) * 60 * 60 * 1000,
    noColor: Boolean(env.NO_COLOR),
    ...(oauth ? { oauth } : {}),
    ...(env.TOKEN_ENCRYPTION_KEY?.trim() ? { tokenEncryptionKey: env.TOKEN_ENCRYPTION_KEY.trim() } : {}),
    qaLogRetentionDays: readInteger(env, 'QA_LOG_RETENTION_DAYS', 180, 1, 3650, problems),
    curators: readCurators(env, problems),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config, warnings };
}

/** Just the file locations, for tools (report, knowledge check) that do not talk to Slack. */
export function loadPaths(env: Env = process.env): Pick<Config, 'dataFile' | 'knowledgeDir'> {
  return {
    dataFile: resolvePath(env.DATA_FILE, 'data/db.json'),
    knowledgeDir: resolvePath(env.KNOWLEDGE_DIR, 'knowledge'),
  };
}

export function formatConfigProblems(problems: string[]): string {
  const count =
    problems.length === 1 ? '1 configuration problem' : `${problems.length} configuration problems`;
  return [
    `pm-advisor cannot start: ${count}.`,
    ...problems.map((problem) => `  - ${problem}`),
    'Set these in .env (copy .env.example to start) or in the environment, then run npm start again.',
    ...(problems.some((problem) => CREDENTIALS.some((name) => problem.startsWith(name)))
      ? [
          'To try pm-advisor without Slack, leave SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN all empty (or set SLACK_MODE=local): npm start then opens a local chat in the terminal.',
        ]
      : []),
  ].join('\n');
}
