/** What a person can say about an answer: a vote, and after "Not helpful" optionally why. */
export type Vote = 'helpful' | 'not_helpful';
export const VOTES = ['helpful', 'not_helpful'] as const satisfies readonly Vote[];
export const FEEDBACK_REASONS = ['outdated', 'wrong', 'off-topic'] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

export function isFeedbackReason(text: string): text is FeedbackReason {
  return (FEEDBACK_REASONS as readonly string[]).includes(text);
}
