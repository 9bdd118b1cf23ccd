import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { FEEDBACK_REASONS, type FeedbackReason, type Vote } from '../../store/advisor-store.js';
import { buildEntryView, buildVoteConfirmationView } from '../../views/answer-view.js';
import { buildNote, type SlackMessage } from '../../views/block-kit.js';
import { QA_REASON_ACTION_PREFIX, QA_RELATED_ACTION_PREFIX } from '../ids.js';
import { ackThen } from './ack-then.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** Everything here is private to the clicker: an ephemeral reply that leaves the public answer alone. */
async function replyPrivately({ body, respond }: ButtonArgs, message: SlackMessage): Promise<void> {
  await respond({
    response_type: 'ephemeral',
    replace_original: Boolean(body.container?.is_ephemeral),
    ...message,
  });
}

/** A related-topic button: that entry, to the clicker. */
export function handleRelatedTopic(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'related topic', args, async () => {
      const entryId = args.action.action_id.slice(QA_RELATED_ACTION_PREFIX.length);
      const entry = deps.knowledge.entriesById.get(entryId);
      await replyPrivately(
        args,
        entry ? buildEntryView(deps.knowledge, entry) : buildNote('That topic is no longer in my knowledge.'),
      );
    });
}

/** "Helpful" / "Not helpful": one vote per person per answer (a second click changes it), confirmed privately. */
export function handleFeedbackVote(deps: Deps, vote: Vote) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'feedback vote', args, async () => {
      const answerId = args.action.value ?? '';
      const result = deps.store.vote(answerId, args.body.user.id, vote);
      if (result === 'unknown-answer') {
        await replyPrivately(
          args,
          buildNote('Thanks! That answer is too old for feedback now, but I appreciate it.'),
        );
        return;
      }
      await replyPrivately(args, buildVoteConfirmationView(vote, result.previous, answerId));
    });
}

/** The optional reason after "Not helpful". */
export function handleFeedbackReason(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'feedback reason', args, async () => {
      const reason = args.action.action_id.slice(QA_REASON_ACTION_PREFIX.length);
      if (!FEEDBACK_REASONS.includes(reason as FeedbackReason)) return;
      const saved = deps.store.setReason(
        args.action.value ?? '',
        args.body.user.id,
        reason as FeedbackReason,
      );
      await replyPrivately(
        args,
        buildNote(
          saved
            ? 'Thanks, that helps us fix it.'
            : 'Thanks! (There is no "Not helpful" vote of yours on that answer to attach this to.)',
        ),
      );
    });
}
