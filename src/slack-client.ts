import type { Config } from './config.js';
import { createSlackFetch } from './slack-fetch.js';

/**
 * How the app's Web API client talks to Slack: a timeout on every call and bounded retries. The client's own
 * defaults are no timeout and about 30 minutes of retries (Socket Mode raises them further), so one slow or
 * rate-limited call could hold a reply for half an hour.
 */
export function slackClientOptions(
  config: Pick<Config, 'slackApiUrl' | 'slackApiTimeoutMs' | 'slackApiRetries'>,
) {
  const slackFetch = createSlackFetch({ timeoutMs: config.slackApiTimeoutMs });
  return {
    clientOptions: {
      slackApiUrl: config.slackApiUrl,
      // The timeout (SLACK_API_TIMEOUT_MS) is enforced by this fetch, for the Web API and for Bolt's respond()
      // (response_url), which would otherwise wait without a limit. No `timeout` here: the client would add an
      // AbortSignal.timeout per call, one more timer kept alive for the whole timeout after each call.
      fetch: slackFetch.fetch,
      // A 429 fails that call (after the fetch waited out a short Retry-After), instead of pausing the client's one
      // queue, and so every person's replies, for the whole Retry-After.
      rejectRateLimitedCalls: true,
      // The client runs at most this many calls at once, for everyone. The fetch lets one channel have only a few
      // of them (CALLS_PER_CHANNEL), so a channel whose calls hang until the timeout cannot fill the queue.
      maxRequestConcurrency: 500,
      retryConfig: {
        retries: config.slackApiRetries,
        factor: 2,
        minTimeout: 200,
        maxTimeout: 5_000,
        randomize: true,
      },
    },
    /** Closes the kept-alive connections (on shutdown). */
    close: slackFetch.close,
  };
}
