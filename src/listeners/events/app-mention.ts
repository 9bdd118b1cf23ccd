import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { slackErrorCode } from '../errors.js';
import { replyToQuestion } from './qa-reply.js';

type MentionArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>;

/** "@advisor <question>" in a channel: answered in the mention's thread, once per event even when Slack retries. */
export function handleAppMention(deps: Deps) {
  return async ({ event, body, client, context }: MentionArgs): Promise<void> => {
    if (event.bot_id || event.subtype || !event.user) return;
    if (!deps.store.claimEvent(body.event_id)) {
      deps.logger.debug(`event ${body.event_id} already handled (retry ${context.retryNum ?? 0}); ignored`);
      return;
    }
    const teamId = context.teamId ?? body.team_id;
    try {
      const message = replyToQuestion(
        deps,
        { teamId, channelId: event.channel, userId: event.user },
        event.text,
      );
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        ...message,
      });
    } catch (error) {
      deps.logger.error('answering a mention failed', {
        team: teamId,
        channel: event.channel,
        user: event.user,
        event: body.event_id,
        slackError: slackErrorCode(error),
        error,
      });
    }
  };
}
