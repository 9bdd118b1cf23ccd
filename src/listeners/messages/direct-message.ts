import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { answerDirectMessage } from '../../flows/direct-message.js';
import { failureText, logFailure } from '../../flows/failure.js';
import { slackToPlainText } from '../../slack-text.js';
import { buildNote } from '../../views/block-kit.js';
import { claimOnce, eventKey } from '../event-key.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/** A DM to the bot, once per event even when Slack retries. Edits, deletions, joins and bots are ignored. */
export function handleDirectMessage(deps: Deps) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    if (!(await claimOnce(deps, eventKey(body, event)))) return;
    const person = { teamId: context.teamId ?? body.team_id, userId: event.user };
    try {
      await answerDirectMessage(deps, client, {
        person,
        channelId: event.channel,
        text: slackToPlainText(event.text ?? ''),
        ts: event.ts,
        ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
      });
    } catch (error) {
      logFailure(
        deps.logger,
        'answering a DM',
        { team: person.teamId, channel: event.channel, user: person.userId, event: body.event_id },
        error,
      );
      await client.chat
        .postMessage({ channel: event.channel, ...buildNote(failureText(error)) })
        .catch(() => undefined);
    }
  };
}
