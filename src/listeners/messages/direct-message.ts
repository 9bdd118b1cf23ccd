import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { detectDmIntent } from '../../advisor/dm-intents.js';
import { stripSlackMarkup } from '../../advisor/question-analyzer.js';
import type { Deps } from '../../deps.js';
import type { SlackMessage } from '../../views/block-kit.js';
import { buildDmHelpView } from '../../views/dm-help-view.js';
import { buildForgetConfirmView, buildHistoryView } from '../../views/quiz-view.js';
import { replyToQuestion, slackErrorCode } from '../events/qa-reply.js';
import { activeSession, handleTypedReply, personKey, startQuiz } from '../quiz-flow.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

/**
 * A DM to the bot: starts or continues the career conversation, lists results, forgets, shows help,
 * or else answers it as a question. Edits, deletions, joins and bots are ignored.
 */
export function handleDirectMessage(deps: Deps) {
  return async ({ event, body, client, context }: MessageArgs): Promise<void> => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event) return;
    if (!deps.store.claimEvent(body.event_id)) return;
    const person = { teamId: context.teamId ?? body.team_id, userId: event.user };
    const text = stripSlackMarkup(event.text ?? '');
    const say = (message: SlackMessage) => client.chat.postMessage({ channel: event.channel, ...message });
    try {
      const intent = detectDmIntent(text);
      const session = activeSession(deps, person);
      if (intent === 'start') await startQuiz(deps, client, { ...person, channelId: event.channel });
      else if (intent === 'history')
        await say(buildHistoryView(deps.knowledge, deps.users.results(personKey(person))));
      else if (intent === 'forget') await say(buildForgetConfirmView());
      else if (intent === 'help') await say(buildDmHelpView(deps.knowledge));
      else if (session) await handleTypedReply(deps, client, person, session, text);
      else await say(replyToQuestion(deps, { ...person, channelId: event.channel }, text));
    } catch (error) {
      deps.logger.error('answering a DM failed', {
        team: person.teamId,
        channel: event.channel,
        user: person.userId,
        event: body.event_id,
        slackError: slackErrorCode(error),
      });
    }
  };
}
