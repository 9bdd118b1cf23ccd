import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { detectDmIntent, looksLikeQuestion } from '../../advisor/dm-intents.js';
import { stripSlackMarkup } from '../../advisor/question-analyzer.js';
import { parseQuizControl } from '../../advisor/questionnaire.js';
import type { Deps } from '../../deps.js';
import { buildNote, type SlackMessage } from '../../views/block-kit.js';
import { buildDmHelpView } from '../../views/dm-help-view.js';
import { buildForgetConfirmView, buildHistoryView } from '../../views/quiz-view.js';
import { SORRY_TEXT, slackErrorCode } from '../errors.js';
import { replyToQuestion } from '../events/qa-reply.js';
import { activeSession, askCurrentQuestion, handleTypedReply, personKey, startQuiz } from '../quiz-flow.js';

type MessageArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>;

const NO_CONVERSATION_TEXT = 'There is no questionnaire in progress. Say *start* to begin one.';

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
      const session = activeSession(deps, person);
      // While a questionnaire is open, only a message that is exactly a command counts as one.
      const intent = detectDmIntent(text, { wholeMessage: Boolean(session) });
      const asker = { ...person, channelId: event.channel };
      if (intent === 'start') await startQuiz(deps, client, asker);
      else if (intent === 'history')
        await say(buildHistoryView(deps.knowledge, deps.users.results(personKey(person))));
      else if (intent === 'forget') await say(buildForgetConfirmView());
      else if (intent === 'help') await say(buildDmHelpView(deps.knowledge));
      else if (session && looksLikeQuestion(text) && !parseQuizControl(text)) {
        // A question asked mid-questionnaire is answered, not taken for an answer; the question stays open.
        await say(replyToQuestion(deps, asker, text));
        await askCurrentQuestion(deps, client, person, session, 'Back to your questionnaire:');
      } else if (session) {
        // The conversation continues where the person writes to the bot: their DM with it.
        if (session.channelId !== event.channel) {
          session.channelId = event.channel;
          deps.users.saveSession(personKey(person), session);
        }
        await handleTypedReply(deps, client, person, session, text);
      } else if (parseQuizControl(text)) await say(buildNote(NO_CONVERSATION_TEXT));
      else await say(replyToQuestion(deps, asker, text));
    } catch (error) {
      deps.logger.error('answering a DM failed', {
        team: person.teamId,
        channel: event.channel,
        user: person.userId,
        event: body.event_id,
        slackError: slackErrorCode(error),
        error,
      });
      await say(buildNote(SORRY_TEXT)).catch(() => undefined);
    }
  };
}
