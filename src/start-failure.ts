import type { Config } from './config.js';

/** A start-up failure, with the step that failed: checking the bot token, connecting with the app token, or listening. */
export class StartFailure extends Error {
  constructor(
    readonly step: 'bot-token' | 'app-token' | 'listen',
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'StartFailure';
  }
}

const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'not_allowed_token_type',
]);

/** Turns a failure to connect at start-up into one sentence a person can act on (no stack trace). */
export function describeStartFailure(failure: unknown, config: Pick<Config, 'slackApiUrl' | 'mode'>): string {
  const step = failure instanceof StartFailure ? failure.step : 'bot-token';
  const error = failure instanceof StartFailure ? failure.cause : failure;
  const coded = error as { code?: string; data?: { error?: string }; message?: string };
  const slackError = coded.data?.error;
  if (step === 'app-token' && slackError && AUTH_ERRORS.has(slackError)) {
    return `pm-advisor cannot start: Slack rejected SLACK_APP_TOKEN (${slackError}) when opening the Socket Mode connection. Create an app-level token with the connections:write scope at https://api.slack.com/apps → your app → Basic Information → App-Level Tokens, and check that Socket Mode is enabled.`;
  }
  if (slackError && AUTH_ERRORS.has(slackError)) {
    return `pm-advisor cannot start: Slack rejected SLACK_BOT_TOKEN (${slackError}). Copy the current "Bot User OAuth Token" from https://api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was removed.`;
  }
  if (slackError)
    return `pm-advisor cannot start: Slack answered "${slackError}" when ${step === 'app-token' ? 'opening the Socket Mode connection' : 'checking the bot token'}.`;
  if (
    coded.code === 'slack_webapi_request_error' ||
    coded.code === 'slack_socket_mode_no_reply_received_error'
  ) {
    return `pm-advisor cannot start: could not reach Slack at ${config.slackApiUrl} (${coded.message ?? 'network error'}). Check the network or SLACK_API_URL.`;
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return 'pm-advisor cannot start: the port is already in use. Set PORT to a free port.';
  }
  return `pm-advisor cannot start (${config.mode} mode): ${coded.message ?? String(error)}`;
}
