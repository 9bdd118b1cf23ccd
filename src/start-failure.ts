import type { Config } from './config.js';

/** Turns a failure to connect at start-up into one sentence a person can act on (no stack trace). */
export function describeStartFailure(error: unknown, config: Pick<Config, 'slackApiUrl' | 'mode'>): string {
  const coded = error as { code?: string; data?: { error?: string }; message?: string };
  const slackError = coded.data?.error;
  if (
    slackError === 'invalid_auth' ||
    slackError === 'not_authed' ||
    slackError === 'account_inactive' ||
    slackError === 'token_revoked'
  ) {
    return `pm-advisor cannot start: Slack rejected SLACK_BOT_TOKEN (${slackError}). Copy the current "Bot User OAuth Token" from https://api.slack.com/apps → your app → OAuth & Permissions, and reinstall the app if it was removed.`;
  }
  if (slackError)
    return `pm-advisor cannot start: Slack answered "${slackError}" when checking the bot token.`;
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
