import type { Logger } from '@slack/bolt';

/** The Slack error code of a failed Web API call, for logs (not_in_channel, ratelimited, …). */
export function slackErrorCode(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return coded.data?.error ?? coded.code;
}

/** Where a failure happened, so the log line can be found from a person's report. */
export interface FailureContext {
  team?: string;
  channel?: string;
  user?: string;
  /** The event id, action_id or command. */
  event?: string;
  action?: string;
  command?: string;
}

/** Logs a failed piece of work with its context and Slack error code. A person never sees this text. */
export function logFailure(logger: Logger, what: string, context: FailureContext, error: unknown): void {
  logger.error(`${what} failed`, { ...context, slackError: slackErrorCode(error), error });
}
