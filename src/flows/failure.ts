import type { Logger } from '@slack/bolt';
import { StoreWriteError } from '../store/journal-file.js';
import { COULD_NOT_SAVE_TEXT, SORRY_TEXT } from '../views/block-kit.js';

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

/** What the person is told when their request failed: a save that the disk refused, or a fixed sorry. */
export function failureText(error: unknown): string {
  return error instanceof StoreWriteError ? COULD_NOT_SAVE_TEXT : SORRY_TEXT;
}

export function isStoreWriteError(error: unknown): error is StoreWriteError {
  return error instanceof StoreWriteError;
}
