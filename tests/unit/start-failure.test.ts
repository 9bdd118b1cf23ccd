import { describe, expect, it } from '@jest/globals';
import { describeStartFailure, StartFailure } from '../../src/start-failure.js';

const config = { slackApiUrl: 'https://slack.com/api/', mode: 'socket' as const };
const slackError = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { data: { error } });

describe('describeStartFailure', () => {
  it('blames the bot token when checking it failed', () => {
    const text = describeStartFailure(new StartFailure('bot-token', slackError('invalid_auth')), config);
    expect(text).toContain('SLACK_BOT_TOKEN');
    expect(text).toContain('OAuth & Permissions');
  });

  it('blames the app-level token when the Socket Mode connection was refused', () => {
    const text = describeStartFailure(new StartFailure('app-token', slackError('invalid_auth')), config);
    expect(text).toContain('SLACK_APP_TOKEN');
    expect(text).toContain('App-Level Tokens');
    expect(text).not.toContain('SLACK_BOT_TOKEN');
  });

  it('names an unreachable Slack API and a busy port', () => {
    const network = Object.assign(new Error('connect ECONNREFUSED'), { code: 'slack_webapi_request_error' });
    expect(describeStartFailure(new StartFailure('bot-token', network), config)).toContain(
      'could not reach Slack',
    );
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(describeStartFailure(new StartFailure('listen', busy), { ...config, mode: 'http' })).toContain(
      'PORT',
    );
  });
});
