import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { replyToQuestion, slackErrorCode } from '../events/qa-reply.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/** A DM to the bot: answered from the knowledge store, in the DM. Edits, deletions, joins and bots are ignored. */
export function handleDirectMessage(deps: Deps) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    if (!deps.store.claimEvent(body.event_id)) return;
    const teamId = context.teamId ?? body.team_id;
    const message = replyToQuestion(
      deps,
      { teamId, channelId: event.channel, userId: event.user },
      event.text ?? '',
    );
    try {
      await client.chat.postMessage({ channel: event.channel, ...message });
    } catch (error) {
      deps.logger.error('answering a DM failed', {
        team: teamId,
        channel: event.channel,
        user: event.user,
        event: body.event_id,
        slackError: slackErrorCode(error),
      });
    }
  };
}
