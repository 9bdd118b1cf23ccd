import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isFeedbackReason, type Vote } from '../../advisor/feedback.js';
import type { Deps } from '../../deps.js';
import { QA_REASON_ACTION, QA_RELATED_ACTION } from '../../slack-ids.js';
import { buildEntryView, buildVoteConfirmationView } from '../../views/answer-view.js';
import { buildNote } from '../../views/block-kit.js';
import { ackThen } from './ack-then.js';
import { showToClicker } from './clicker.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

// Everything here is private to the clicker: shown to them only, leaving the public answer alone.

/** A related-topic button: that entry, to the clicker. */
export function handleRelatedTopic(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'related topic', args, async () => {
      const entryId = QA_RELATED_ACTION.partOf(args.action.action_id);
      const entry = deps.knowledge.entriesById.get(entryId);
      await showToClicker(
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
      const result = await deps.qaLog.vote(answerId, args.body.user.id, vote);
      if (result === 'unknown-answer') {
        await showToClicker(
          args,
          buildNote('Thanks! That answer is too old for feedback now, but I appreciate it.'),
        );
        return;
      }
      await showToClicker(args, buildVoteConfirmationView(vote, result.previous, answerId));
    });
}

/** The optional reason after "Not helpful". */
export function handleFeedbackReason(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'feedback reason', args, async () => {
      const reason = QA_REASON_ACTION.partOf(args.action.action_id);
      if (!isFeedbackReason(reason)) return;
      const saved = await deps.qaLog.setReason(args.action.value ?? '', args.body.user.id, reason);
      await showToClicker(
        args,
        buildNote(
          saved
            ? 'Thanks, that helps us fix it.'
            : 'Thanks! (There is no "Not helpful" vote of yours on that answer to attach this to.)',
        ),
      );
    });
}
