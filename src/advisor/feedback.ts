/** What a person can say about an answer: a vote, and after "Not helpful" optionally why. */
export type Vote = 'helpful' | 'not_helpful';
export const VOTES = ['helpful', 'not_helpful'] as const satisfies readonly Vote[];

/**
 * Every reason a vote can carry, as stored. `off-topic` is no longer offered ("didn't answer my question" says it
 * better) but votes stored with it, and buttons already posted with it, keep working.
 */
export const FEEDBACK_REASONS = ['not-answered', 'outdated', 'wrong', 'off-topic'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** The reasons offered after a "Not helpful" vote, in the order shown. */
export const OFFERED_FEEDBACK_REASONS = [
  'not-answered',
  'outdated',
  'wrong',
] as const satisfies readonly FeedbackReason[];

/** How a reason reads, on its button and in the curators' report and Home tab alike. */
export const FEEDBACK_REASON_LABELS: Record<FeedbackReason, string> = {
  'not-answered': "didn't answer my question",
  outdated: 'out of date',
  wrong: 'wrong',
  'off-topic': 'off topic',
};

export function isFeedbackReason(text: string): text is FeedbackReason {
  return (FEEDBACK_REASONS as readonly string[]).includes(text);
}

/** A reason as people read it; a value this version does not know is shown as stored. */
export function feedbackReasonLabel(reason: string): string {
  return isFeedbackReason(reason) ? FEEDBACK_REASON_LABELS[reason] : reason;
}
