import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { LogLevel } from '@slack/bolt';
import {
  type Config,
  type ConfigResult,
  DEFAULT_SLACK_API_URL,
  formatConfigProblems,
  LOCAL_BOT_TOKEN,
  loadConfig,
} from '../../src/config.js';

type Env = Record<string, string | undefined>;

const BOT_TOKEN = 'xoxb-1111-2222-abcdef';
const APP_TOKEN = 'xapp-1-A0APP00001-3333-abcdef';
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** The smallest environment that starts in HTTP mode. */
const httpEnv = (overrides: Env = {}): Env => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  ...overrides,
});

/** The smallest environment that starts in Socket Mode. */
const socketEnv = (overrides: Env = {}): Env => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_APP_TOKEN: APP_TOKEN,
  ...overrides,
});

function expectConfig(result: ConfigResult): Config {
  if (!result.ok) throw new Error(`expected a config, got problems:\n${result.problems.join('\n')}`);
  return result.config;
}

function expectProblems(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected configuration problems, got a config');
  return result.problems;
}

/** The one problem that mentions `variable`; fails when there is none or more than one. */
function problemAbout(problems: string[], variable: string): string {
  const matching = problems.filter((problem) => problem.includes(variable));
  expect(matching).toHaveLength(1);
  return matching[0] as string;
}

describe('loadConfig: run mode', () => {
  it('chooses Socket Mode when SLACK_APP_TOKEN is set', () => {
    const config = expectConfig(loadConfig(socketEnv()));
    expect(config.mode).toBe('socket');
    expect(config.appToken).toBe(APP_TOKEN);
    expect(config.botToken).toBe(BOT_TOKEN);
  });

  it('chooses HTTP mode when SLACK_APP_TOKEN is absent or blank', () => {
    expect(expectConfig(loadConfig(httpEnv())).mode).toBe('http');
    expect(expectConfig(loadConfig(httpEnv({ SLACK_APP_TOKEN: '   ' }))).mode).toBe('http');
  });

  it('does not need a signing secret in Socket Mode', () => {
    const config = expectConfig(loadConfig(socketEnv()));
    expect(config.signingSecret).toBeUndefined();
  });

  it('SLACK_MODE=http forces HTTP mode even with an app token', () => {
    const config = expectConfig(loadConfig(httpEnv({ SLACK_APP_TOKEN: APP_TOKEN, SLACK_MODE: 'http' })));
    expect(config.mode).toBe('http');
  });

  it('SLACK_MODE=http with an app token still needs the signing secret', () => {
    const problems = expectProblems(loadConfig(socketEnv({ SLACK_MODE: 'http' })));
    expect(problems).toHaveLength(1);
    expect(problemAbout(problems, 'SLACK_SIGNING_SECRET')).toContain('missing');
  });

  it('SLACK_MODE=socket forces Socket Mode, case and spaces ignored', () => {
    const config = expectConfig(loadConfig(socketEnv({ SLACK_MODE: ' Socket ', SLACK_SIGNING_SECRET: 'x' })));
    expect(config.mode).toBe('socket');
  });

  it('SLACK_MODE=socket without an app token asks for SLACK_APP_TOKEN', () => {
    const problems = expectProblems(loadConfig(httpEnv({ SLACK_MODE: 'socket' })));
    expect(problems).toHaveLength(1);
    const problem = problemAbout(problems, 'SLACK_APP_TOKEN');
    expect(problem).toContain('missing');
    expect(problem).toContain('SLACK_MODE=http');
  });

  it.each(['websocket', 'https', 'auto', '1'])(
    'rejects SLACK_MODE=%s and names the accepted values',
    (mode) => {
      const problems = expectProblems(loadConfig(httpEnv({ SLACK_MODE: mode })));
      expect(problems).toHaveLength(1);
      const problem = problemAbout(problems, 'SLACK_MODE');
      expect(problem).toContain(`"${mode}"`);
      expect(problem).toContain('"socket"');
      expect(problem).toContain('"http"');
      expect(problem).toContain('"local"');
    },
  );
});

describe('loadConfig: Slack credentials', () => {
  const appSettings = 'https://api.slack.com/apps';

  it.each([
    ['missing', undefined],
    ['blank', '   '],
  ])('reports a %s SLACK_BOT_TOKEN with where to find it', (_label, value) => {
    const problems = expectProblems(loadConfig(httpEnv({ SLACK_BOT_TOKEN: value })));
    expect(problems).toHaveLength(1);
    const problem = problemAbout(problems, 'SLACK_BOT_TOKEN');
    expect(problem).toContain('missing');
    expect(problem).toContain('xoxb-');
    expect(problem).toContain(appSettings);
    expect(problem).toContain('OAuth & Permissions');
  });

  it.each(['xoxp-1111-user-token', 'xapp-1-A-app-token', 'bot-token', 'XOXB-upper-case'])(
    'rejects SLACK_BOT_TOKEN=%s as not a bot token',
    (token) => {
      const problems = expectProblems(loadConfig(httpEnv({ SLACK_BOT_TOKEN: token })));
      expect(problems).toHaveLength(1);
      const problem = problemAbout(problems, 'SLACK_BOT_TOKEN');
      expect(problem).toContain('"xoxb-"');
      expect(problem).toContain(appSettings);
      expect(problem).toContain('OAuth & Permissions → Bot User OAuth Token');
    },
  );

  it('trims a bot token pasted with spaces', () => {
    expect(expectConfig(loadConfig(httpEnv({ SLACK_BOT_TOKEN: `  ${BOT_TOKEN}\n` }))).botToken).toBe(
      BOT_TOKEN,
    );
  });

  it.each(['xoxb-1111-bot-token', 'xapp', 'token'])(
    'rejects SLACK_APP_TOKEN=%s in Socket Mode as not an app-level token',
    (token) => {
      const problems = expectProblems(loadConfig(socketEnv({ SLACK_APP_TOKEN: token })));
      expect(problems).toHaveLength(1);
      const problem = problemAbout(problems, 'SLACK_APP_TOKEN');
      expect(problem).toContain('"xapp-"');
      expect(problem).toContain(appSettings);
      expect(problem).toContain('Basic Information → App-Level Tokens');
      expect(problem).toContain('connections:write');
    },
  );

  it('a missing app token in Socket Mode names App-Level Tokens and the connections:write scope', () => {
    const problem = problemAbout(
      expectProblems(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_MODE: 'socket' })),
      'SLACK_APP_TOKEN',
    );
    expect(problem).toContain(appSettings);
    expect(problem).toContain('Basic Information → App-Level Tokens');
    expect(problem).toContain('connections:write');
  });

  it('ignores a malformed app token in forced HTTP mode (it is not used there)', () => {
    const config = expectConfig(
      loadConfig(httpEnv({ SLACK_MODE: 'http', SLACK_APP_TOKEN: 'not-an-app-token' })),
    );
    expect(config.mode).toBe('http');
  });

  it.each([
    ['missing', undefined],
    ['blank', '  '],
  ])('reports a %s SLACK_SIGNING_SECRET in HTTP mode with where to find it', (_label, value) => {
    const problems = expectProblems(loadConfig(httpEnv({ SLACK_SIGNING_SECRET: value })));
    expect(problems).toHaveLength(1);
    const problem = problemAbout(problems, 'SLACK_SIGNING_SECRET');
    expect(problem).toContain('missing');
    expect(problem).toContain(appSettings);
    expect(problem).toContain('Basic Information → App Credentials');
    expect(problem).toContain('Signing Secret');
  });

  it('rejects a signing secret with spaces inside', () => {
    const problems = expectProblems(loadConfig(httpEnv({ SLACK_SIGNING_SECRET: '8f74 2231' })));
    expect(problems).toHaveLength(1);
    expect(problemAbout(problems, 'SLACK_SIGNING_SECRET')).toContain('spaces');
  });

  it('reports every problem at once, not just the first', () => {
    const problems = expectProblems(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxp-user-token',
        SLACK_MODE: 'socket',
        SLACK_APP_TOKEN: 'xoxb-wrong-kind',
        PORT: 'eighty',
        LOG_LEVEL: 'verbose',
        SLACK_API_URL: 'not a url',
        SLACK_API_RETRIES: '100',
      }),
    );
    for (const variable of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'PORT',
      'LOG_LEVEL',
      'SLACK_API_URL',
      'SLACK_API_RETRIES',
    ]) {
      problemAbout(problems, variable);
    }
    expect(problems).toHaveLength(6);
  });

  it('reports a missing bot token and a missing signing secret together in HTTP mode', () => {
    const problems = expectProblems(loadConfig({ SLACK_MODE: 'http' }));
    expect(problems).toHaveLength(2);
    problemAbout(problems, 'SLACK_BOT_TOKEN');
    problemAbout(problems, 'SLACK_SIGNING_SECRET');
  });
});

describe('loadConfig: other settings', () => {
  it('has safe defaults', () => {
    const config = expectConfig(loadConfig(httpEnv()));
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe(LogLevel.INFO);
    expect(config.slackApiUrl).toBe(DEFAULT_SLACK_API_URL);
    expect(config.slackApiUrl.endsWith('/')).toBe(true);
    expect(path.isAbsolute(config.dataFile)).toBe(true);
    expect(config.dataFile.endsWith(path.join('data', 'db.json'))).toBe(true);
    expect(path.isAbsolute(config.knowledgeDir)).toBe(true);
    expect(path.basename(config.knowledgeDir)).toBe('knowledge');
    expect(path.dirname(config.dataFile)).toBe(path.join(path.dirname(config.knowledgeDir), 'data'));
    expect(Number.isInteger(config.slackApiRetries)).toBe(true);
    expect(config.slackApiRetries).toBeGreaterThanOrEqual(0);
    expect(config.slackApiRetries).toBeLessThanOrEqual(10);
    expect(Number.isFinite(config.slackApiTimeoutMs)).toBe(true);
    expect(config.slackApiTimeoutMs).toBeGreaterThan(0);
    expect(Number.isFinite(config.shutdownTimeoutMs)).toBe(true);
  });

  it('accepts a PORT in range, with spaces', () => {
    expect(expectConfig(loadConfig(httpEnv({ PORT: ' 8080 ' }))).port).toBe(8080);
    expect(expectConfig(loadConfig(httpEnv({ PORT: '0' }))).port).toBe(0);
    expect(expectConfig(loadConfig(httpEnv({ PORT: '65535' }))).port).toBe(65535);
  });

  it.each(['eighty', '-1', '65536', '3000.5', '1e9', 'Infinity'])('rejects PORT=%s', (port) => {
    const problems = expectProblems(loadConfig(httpEnv({ PORT: port })));
    expect(problems).toHaveLength(1);
    const problem = problemAbout(problems, 'PORT');
    expect(problem).toContain(`"${port}"`);
    expect(problem).toContain('0 to 65535');
  });

  it.each([
    ['debug', LogLevel.DEBUG],
    ['INFO', LogLevel.INFO],
    [' warn ', LogLevel.WARN],
    ['Error', LogLevel.ERROR],
  ])('reads LOG_LEVEL=%s', (value, level) => {
    expect(expectConfig(loadConfig(httpEnv({ LOG_LEVEL: value }))).logLevel).toBe(level);
  });

  it.each(['verbose', 'trace', '3'])('rejects LOG_LEVEL=%s and lists the choices', (value) => {
    const problem = problemAbout(expectProblems(loadConfig(httpEnv({ LOG_LEVEL: value }))), 'LOG_LEVEL');
    expect(problem).toContain(`"${value}"`);
    expect(problem).toContain('debug, info, warn, error');
  });

  it.each([
    ['http://127.0.0.1:9999/api', 'http://127.0.0.1:9999/api/'],
    ['http://localhost:9999', 'http://localhost:9999/'],
    ['https://slack.com/api/', 'https://slack.com/api/'],
    ['  https://proxy.example.com/slack/api  ', 'https://proxy.example.com/slack/api/'],
  ])('reads SLACK_API_URL=%s as %s (ending in a slash)', (value, expected) => {
    expect(expectConfig(loadConfig(httpEnv({ SLACK_API_URL: value }))).slackApiUrl).toBe(expected);
  });

  it.each(['not a url', 'slack.com/api', 'ftp://slack.com/api/', 'file:///etc/passwd'])(
    'rejects SLACK_API_URL=%s',
    (value) => {
      const problem = problemAbout(
        expectProblems(loadConfig(httpEnv({ SLACK_API_URL: value }))),
        'SLACK_API_URL',
      );
      expect(problem).toContain(`"${value}"`);
      expect(problem).toContain('http(s)');
    },
  );

  it('bounds the retries and the timeout', () => {
    expect(expectConfig(loadConfig(httpEnv({ SLACK_API_RETRIES: '0' }))).slackApiRetries).toBe(0);
    expect(expectConfig(loadConfig(httpEnv({ SLACK_API_TIMEOUT_MS: '2500' }))).slackApiTimeoutMs).toBe(2500);
    for (const [variable, value] of [
      ['SLACK_API_RETRIES', '11'],
      ['SLACK_API_RETRIES', '-1'],
      ['SLACK_API_RETRIES', 'Infinity'],
      ['SLACK_API_TIMEOUT_MS', 'Infinity'],
      ['SLACK_API_TIMEOUT_MS', '0'],
      ['SLACK_API_TIMEOUT_MS', '999999999'],
      ['SHUTDOWN_TIMEOUT_MS', '-5'],
    ] as const) {
      const problems = expectProblems(loadConfig(httpEnv({ [variable]: value })));
      expect(problems).toHaveLength(1);
      expect(problemAbout(problems, variable)).toContain(`"${value}"`);
    }
  });

  it('resolves DATA_FILE and KNOWLEDGE_DIR from the environment to absolute paths', () => {
    const config = expectConfig(
      loadConfig(httpEnv({ DATA_FILE: 'tmp/other.json', KNOWLEDGE_DIR: ' /srv/pm-knowledge ' })),
    );
    expect(config.dataFile).toBe(path.resolve('tmp/other.json'));
    expect(config.knowledgeDir).toBe(path.resolve('/srv/pm-knowledge'));
  });
});

describe('formatConfigProblems', () => {
  it('says how many problems there are, lists each, and says where to fix them', () => {
    const text = formatConfigProblems(['first thing is wrong.', 'second thing is wrong.']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('pm-advisor cannot start: 2 configuration problems.');
    expect(lines).toContain('  - first thing is wrong.');
    expect(lines).toContain('  - second thing is wrong.');
    expect(lines.at(-1)).toContain('.env.example');
    expect(lines).toHaveLength(4);
  });

  it('uses the singular for one problem', () => {
    expect(formatConfigProblems(['only one.']).split('\n')[0]).toBe(
      'pm-advisor cannot start: 1 configuration problem.',
    );
  });

  it('formats the real problems of HTTP mode without credentials, naming every variable and the local mode', () => {
    const text = formatConfigProblems(expectProblems(loadConfig({ SLACK_MODE: 'http' })));
    expect(text).toContain('2 configuration problems');
    expect(text).toContain('  - SLACK_BOT_TOKEN');
    expect(text).toContain('  - SLACK_SIGNING_SECRET');
    expect(text.split('\n').at(-1)).toMatch(/without Slack.*all empty.*SLACK_MODE=local/);
  });

  it('mentions the local mode only when a Slack credential is the problem', () => {
    expect(formatConfigProblems(expectProblems(loadConfig(httpEnv({ PORT: 'eighty' }))))).not.toContain(
      'SLACK_MODE=local',
    );
  });
});

describe('loadConfig: local mode (no Slack)', () => {
  it('starts locally when no Slack credential is set at all', () => {
    const config = expectConfig(loadConfig({}));
    expect(config.mode).toBe('local');
    expect(config.botToken).toBe(LOCAL_BOT_TOKEN);
    expect(config.signingSecret).toBeUndefined();
    expect(config.appToken).toBeUndefined();
  });

  it('treats blank credentials as not set', () => {
    const config = expectConfig(
      loadConfig({ SLACK_BOT_TOKEN: ' ', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '\n' }),
    );
    expect(config.mode).toBe('local');
  });

  it('keeps its own data file unless DATA_FILE says otherwise', () => {
    expect(expectConfig(loadConfig({})).dataFile.endsWith(path.join('data', 'local.json'))).toBe(true);
    expect(expectConfig(loadConfig({ DATA_FILE: 'tmp/demo.json' })).dataFile).toBe(
      path.resolve('tmp/demo.json'),
    );
  });

  it('SLACK_MODE=local wins over credentials, which are then neither checked nor used', () => {
    const config = expectConfig(
      loadConfig({
        SLACK_MODE: ' Local ',
        SLACK_BOT_TOKEN: 'xoxp-not-a-bot-token',
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_SIGNING_SECRET: 'with spaces inside',
      }),
    );
    expect(config.mode).toBe('local');
    expect(config.botToken).toBe(LOCAL_BOT_TOKEN);
    expect(config.appToken).toBeUndefined();
    expect(config.signingSecret).toBeUndefined();
  });

  it.each([
    ['only a bot token', { SLACK_BOT_TOKEN: BOT_TOKEN }, ['SLACK_SIGNING_SECRET']],
    ['only a signing secret', { SLACK_SIGNING_SECRET: SIGNING_SECRET }, ['SLACK_BOT_TOKEN']],
    ['only an app token', { SLACK_APP_TOKEN: APP_TOKEN }, ['SLACK_BOT_TOKEN']],
  ])('does not fall back to local mode with partial credentials (%s)', (_label, env, variables) => {
    const problems = expectProblems(loadConfig(env));
    expect(problems).toHaveLength(variables.length);
    for (const variable of variables) expect(problemAbout(problems, variable)).toContain('missing');
  });

  it('an explicit SLACK_MODE=http or socket without credentials is an error, not local mode', () => {
    expect(expectProblems(loadConfig({ SLACK_MODE: 'http' })).length).toBeGreaterThan(0);
    expect(expectProblems(loadConfig({ SLACK_MODE: 'socket' })).length).toBeGreaterThan(0);
  });

  it('reads NO_COLOR (any non-empty value turns colour off)', () => {
    expect(expectConfig(loadConfig({ NO_COLOR: '1' })).noColor).toBe(true);
    expect(expectConfig(loadConfig({ NO_COLOR: '' })).noColor).toBe(false);
    expect(expectConfig(loadConfig({})).noColor).toBe(false);
  });
});

describe('OAuth install, token encryption and retention settings', () => {
  const oauthEnv = (overrides: Env = {}): Env => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret-0123456789',
    ...overrides,
  });
  const problemsOf = (result: ConfigResult) => (result.ok ? [] : result.problems);

  it('the three OAuth settings and no bot token: HTTP mode with the installer, authorize page on slack.com', () => {
    const result = loadConfig(oauthEnv());
    expect(result.ok && result.config).toMatchObject({
      mode: 'http',
      botToken: '',
      oauth: {
        clientId: '1111.2222',
        clientSecret: 'client-secret',
        stateSecret: 'state-secret-0123456789',
        authorizationUrl: 'https://slack.com/oauth/v2/authorize',
        adminInstalls: false,
      },
    });
  });

  it('SLACK_OAUTH_ADMIN_INSTALLS=true accepts admin-page installs; another value is refused, naming it', () => {
    const on = loadConfig(oauthEnv({ SLACK_OAUTH_ADMIN_INSTALLS: 'TRUE' }));
    expect(on.ok && on.config.oauth?.adminInstalls).toBe(true);
    const wrong = loadConfig(oauthEnv({ SLACK_OAUTH_ADMIN_INSTALLS: 'yes please' }));
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.problems.join('\n')).toMatch(
      /SLACK_OAUTH_ADMIN_INSTALLS must be true or false/,
    );
  });

  it('SLACK_API_URL moves the authorize page beside it (the stand-in)', () => {
    const result = loadConfig(oauthEnv({ SLACK_API_URL: 'http://127.0.0.1:4000/api/' }));
    expect(result.ok && result.config.oauth?.authorizationUrl).toBe(
      'http://127.0.0.1:4000/oauth/v2/authorize',
    );
  });

  it('names what is missing, and refuses a bot token beside OAuth or OAuth in Socket Mode', () => {
    expect(problemsOf(loadConfig(oauthEnv({ SLACK_STATE_SECRET: '' })))).toEqual([
      expect.stringMatching(/^SLACK_STATE_SECRET is missing/),
    ]);
    expect(problemsOf(loadConfig(oauthEnv({ SLACK_BOT_TOKEN: BOT_TOKEN })))).toEqual([
      expect.stringMatching(/SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set/),
    ]);
    expect(problemsOf(loadConfig(oauthEnv({ SLACK_APP_TOKEN: APP_TOKEN })))).toEqual([
      expect.stringMatching(/served in HTTP mode/),
    ]);
    expect(problemsOf(loadConfig(oauthEnv({ SLACK_STATE_SECRET: 'short' })))).toEqual([
      expect.stringMatching(/at least 16 characters/),
    ]);
  });

  it('the OAuth settings alone are not local mode: the missing signing secret is named', () => {
    expect(problemsOf(loadConfig(oauthEnv({ SLACK_SIGNING_SECRET: '' })))).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/),
    ]);
  });

  it('keeps questions 180 days unless QA_LOG_RETENTION_DAYS says otherwise; reads TOKEN_ENCRYPTION_KEY', () => {
    const defaults = loadConfig(httpEnv());
    expect(defaults.ok && defaults.config.qaLogRetentionDays).toBe(180);
    expect(defaults.ok && defaults.config.tokenEncryptionKey).toBeUndefined();
    const set = loadConfig(httpEnv({ QA_LOG_RETENTION_DAYS: '30', TOKEN_ENCRYPTION_KEY: ' my passphrase ' }));
    expect(set.ok && set.config).toMatchObject({
      qaLogRetentionDays: 30,
      tokenEncryptionKey: 'my passphrase',
    });
    expect(problemsOf(loadConfig(httpEnv({ QA_LOG_RETENTION_DAYS: '0' })))).toEqual([
      expect.stringMatching(/QA_LOG_RETENTION_DAYS must be a whole number from 1/),
    ]);
  });
});

describe('loadConfig: CURATORS', () => {
  const problemsOf = (result: ConfigResult) => (result.ok ? [] : result.problems);
  it('has no curators by default', () => {
    expect(expectConfig(loadConfig(httpEnv())).curators).toEqual([]);
  });

  it('reads comma-separated user ids, spaces, repeats and empty items ignored', () => {
    const config = expectConfig(loadConfig(httpEnv({ CURATORS: ' U0CURATOR1, W0GRIDUSER1,,U0CURATOR1 ' })));
    expect(config.curators).toEqual(['U0CURATOR1', 'W0GRIDUSER1']);
  });

  it('names what is not a user id, and how to find one', () => {
    expect(problemsOf(loadConfig(httpEnv({ CURATORS: 'U0CURATOR1, @alex,C0CHANNEL1' })))).toEqual([
      expect.stringContaining('CURATORS must be Slack user ids separated by commas'),
    ]);
    expect(problemsOf(loadConfig(httpEnv({ CURATORS: '@alex' })))[0]).toContain('"@alex"');
    expect(problemsOf(loadConfig(httpEnv({ CURATORS: '@alex' })))[0]).toContain('Copy member ID');
  });
});

describe('loadConfig: DATABASE_URL (PostgreSQL)', () => {
  it('keeps the files by default', () => {
    expect(expectConfig(loadConfig(httpEnv())).databaseUrl).toBeUndefined();
    expect(expectConfig(loadConfig(httpEnv({ DATABASE_URL: '  ' }))).databaseUrl).toBeUndefined();
  });

  it('takes a postgres:// or postgresql:// URL', () => {
    for (const url of [
      'postgres://pm:s3cret@db.internal:5432/pm',
      'postgresql://pm@localhost/pm?sslmode=require',
    ])
      expect(expectConfig(loadConfig(httpEnv({ DATABASE_URL: ` ${url} ` }))).databaseUrl).toBe(url);
  });

  it('rejects what is not a PostgreSQL URL, never repeating the password', () => {
    for (const url of ['mysql://pm:s3cret@db/pm', 'pm:s3cret@db/pm', 'postgres://pm:s3cret@/pm']) {
      const problem = problemAbout(
        expectProblems(loadConfig(httpEnv({ DATABASE_URL: url }))),
        'DATABASE_URL',
      );
      expect(problem).not.toContain('s3cret');
      expect(problem).toContain('postgres://');
    }
  });

  it('is ignored, with a warning, in local mode (which keeps its own data file)', () => {
    const result = loadConfig({ DATABASE_URL: 'postgres://pm:s3cret@db/pm' });
    expect(expectConfig(result).databaseUrl).toBeUndefined();
    expect(result.ok && result.warnings.join('\n')).toContain('DATABASE_URL is ignored in local mode');
  });
});
