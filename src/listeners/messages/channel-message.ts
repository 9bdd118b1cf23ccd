import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { answerThreadReply } from '../../flows/thread-follow-up.js';
import { slackToPlainText } from '../../slack-text.js';
import { claimOnce, eventKey } from '../event-key.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/** A mention of a person or the app (`<@U…>`), or a broadcast to a group: the message is addressed to someone. */
const ADDRESSED = /<[@!][^<>]*>/;

/**
 * A message in a channel the app is in (message.channels, message.groups): only a reply in a thread the app
 * answered is a follow-up; everything else (top-level messages, other threads, edits, joins, bots, the app itself)
 * is ignored before any store is touched but one lookup. A message that mentions the app arrives as app_mention too
 * and is answered there, once; one that mentions someone else is theirs to answer.
 */
export function handleChannelMessage(deps: Deps) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    // A reply also sent to the channel ("Also send to #channel") is a reply all the same.
    if ((event.subtype !== undefined && event.subtype !== 'thread_broadcast') || 'bot_id' in event) return;
    const threadTs = event.thread_ts;
    if (!threadTs || threadTs === event.ts || !event.user || event.user === context.botUserId) return;
    const raw = event.text ?? '';
    if (ADDRESSED.test(raw)) return;
    const asker = { teamId: context.teamId ?? body.team_id, channelId: event.channel, userId: event.user };
    try {
      await answerThreadReply(deps, client, { asker, threadTs, text: slackToPlainText(raw) }, () =>
        claimOnce(deps, eventKey(body, event)),
      );
    } catch (error) {
      logFailure(
        deps.logger,
        'answering a follow-up in a thread',
        { team: asker.teamId, channel: asker.channelId, user: asker.userId, event: body.event_id },
        error,
      );
    }
  };
}
