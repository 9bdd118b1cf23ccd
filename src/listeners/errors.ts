/** What a person sees when something broke on our side; the details go to the log, never to Slack. */
export const SORRY_TEXT = 'Sorry, something went wrong on my side. Please try again in a moment.';

/** The Slack error code of a failed Web API call, for logs (not_in_channel, ratelimited, …). */
export function slackErrorCode(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return coded.data?.error ?? coded.code;
}
