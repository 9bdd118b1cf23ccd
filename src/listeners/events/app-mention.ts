import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { answerMention } from '../../flows/mention.js';
import { slackToPlainText } from '../../slack-text.js';
import { claimOnce, eventKey } from '../event-key.js';

type MentionArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>;

/** "@advisor <question>" in a channel, once per event even when Slack retries. Bots are ignored. */
export function handleAppMention(deps: Deps) {
  return async ({ event, body, client, context }: MentionArgs): Promise<void> => {
    if (event.bot_id || event.subtype || !event.user) return;
    if (!(await claimOnce(deps, eventKey(body, event)))) {
      deps.logger.debug(`event ${body.event_id} already handled (retry ${context.retryNum ?? 0}); ignored`);
      return;
    }
    const asker = { teamId: context.teamId ?? body.team_id, channelId: event.channel, userId: event.user };
    const where = { team: asker.teamId, channel: asker.channelId, user: asker.userId, event: body.event_id };
    try {
      const outcome = await answerMention(deps, client, {
        asker,
        ts: event.ts,
        threadTs: event.thread_ts,
        text: slackToPlainText(event.text),
      });
      if (outcome.delivered === 'dm')
        logFailure(
          deps.logger,
          'answering a mention in its channel (sent by DM instead)',
          where,
          outcome.error,
        );
    } catch (error) {
      logFailure(deps.logger, 'answering a mention', where, error);
    }
  };
}
