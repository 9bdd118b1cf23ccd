import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { detectChannelCommand } from '../../advisor/dm-intents.js';
import { stripSlackMarkup } from '../../advisor/question-analyzer.js';
import type { Deps } from '../../deps.js';
import { buildCapabilitiesView } from '../../views/answer-view.js';
import type { SlackMessage } from '../../views/block-kit.js';
import { buildForgetConfirmView } from '../../views/quiz-view.js';
import { slackErrorCode } from '../errors.js';
import { replyToQuestion } from './qa-reply.js';

type MentionArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>;

/**
 * "@advisor <question>" in a channel: answered in the mention's thread, once per event even when Slack retries.
 * "@advisor help" / "what can you do?" and "@advisor forget me" are commands: answered only to the person who
 * asked (ephemeral), and not recorded as questions.
 */
export function handleAppMention(deps: Deps) {
  return async ({ event, body, client, context }: MentionArgs): Promise<void> => {
    if (event.bot_id || event.subtype || !event.user) return;
    if (!deps.store.claimEvent(body.event_id)) {
      deps.logger.debug(`event ${body.event_id} already handled (retry ${context.retryNum ?? 0}); ignored`);
      return;
    }
    const teamId = context.teamId ?? body.team_id;
    const thread = event.thread_ts ?? event.ts;
    try {
      const command = detectChannelCommand(stripSlackMarkup(event.text.slice(0, 200)));
      if (command) {
        const message: SlackMessage =
          command === 'forget' ? buildForgetConfirmView() : buildCapabilitiesView(deps.knowledge);
        await client.chat.postEphemeral({
          channel: event.channel,
          user: event.user,
          ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
          ...message,
        });
        return;
      }
      const message = replyToQuestion(
        deps,
        { teamId, channelId: event.channel, userId: event.user },
        event.text,
      );
      await client.chat.postMessage({ channel: event.channel, thread_ts: thread, ...message });
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
