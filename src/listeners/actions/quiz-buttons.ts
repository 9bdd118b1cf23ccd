import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockButtonAction,
  ConversationsSelectAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { QUIZ_CONTROLS, type QuizControl, scoreAnswers } from '../../advisor/questionnaire.js';
import type { Deps } from '../../deps.js';
import { buildNote, type SlackMessage } from '../../views/block-kit.js';
import { buildSharedResultView } from '../../views/quiz-view.js';
import { slackErrorCode } from '../errors.js';
import { QUIZ_ANSWER_ACTION_PREFIX, QUIZ_CONTROL_ACTION_PREFIX, QUIZ_SHARE_BLOCK_PREFIX } from '../ids.js';
import { applyAnswer, applyControl, type Person, personKey, startQuiz } from '../quiz-flow.js';
import { ackThen } from './ack-then.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;
type SelectArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ConversationsSelectAction>>;

const STALE_TEXT =
  'That question is no longer open (already answered, or the conversation ended or expired). Nothing changed.';

function personOf(body: BlockAction): Person {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** A private note to the clicker, leaving the clicked message as it is. */
async function tellClicker(args: { respond: ButtonArgs['respond'] }, message: SlackMessage): Promise<void> {
  await args.respond({ response_type: 'ephemeral', replace_original: false, ...message });
}

/** An answer button: applies once; any other click on it (old, repeated, expired) gets a short private note. */
export function handleQuizAnswer(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'quiz answer', args, async () => {
      const [sessionId = '', factorId = ''] = (args.action.value ?? '').split('|');
      const optionId = args.action.action_id.slice(QUIZ_ANSWER_ACTION_PREFIX.length);
      const outcome = await applyAnswer(deps, args.client, personOf(args.body), {
        sessionId,
        factorId,
        optionId,
      });
      if (outcome === 'stale') await tellClicker(args, buildNote(STALE_TEXT));
    });
}

export function handleQuizControl(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'quiz control', args, async () => {
      const control = args.action.action_id.slice(QUIZ_CONTROL_ACTION_PREFIX.length);
      if (!QUIZ_CONTROLS.some((candidate) => candidate.id === control)) return;
      const applied = await applyControl(
        deps,
        args.client,
        personOf(args.body),
        control as QuizControl,
        args.action.value,
      );
      if (applied) return;
      // "Restart" on a conversation that already ended or expired simply starts a new one.
      if (control === 'restart') await startQuiz(deps, args.client, personOf(args.body));
      else await tellClicker(args, buildNote(STALE_TEXT));
    });
}

/** "Find my path" or "Retake": the conversation starts in the person's DM. */
export function handleQuizStart(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'quiz start', args, async () => {
      // Always the person's DM with the bot (a "D…" channel can also be a DM with someone else).
      const dm = await startQuiz(deps, args.client, personOf(args.body));
      if (dm !== args.body.channel?.id) {
        await tellClicker(args, buildNote('I sent you a direct message with the first question.'));
      }
    });
}

/** The channel picker under a result: posts a short version there, only because the person chose to. */
export function handleQuizShare(deps: Deps) {
  return (args: SelectArgs) =>
    ackThen(deps, 'quiz share', args, async () => {
      const channel = args.action.selected_conversation;
      const resultId = args.action.block_id.slice(QUIZ_SHARE_BLOCK_PREFIX.length);
      const person = personOf(args.body);
      const stored = deps.users.findResult(personKey(person), resultId);
      if (!stored || !channel) {
        await tellClicker(
          args,
          buildNote('I no longer have that result. Say *start* to take the questionnaire again.'),
        );
        return;
      }
      const result = scoreAnswers(deps.knowledge, stored.answers);
      try {
        await args.client.chat.postMessage({
          channel,
          ...buildSharedResultView(deps.knowledge, result, person.userId),
        });
        await tellClicker(args, buildNote(`Shared in <#${channel}>.`));
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== 'not_in_channel' && code !== 'channel_not_found') throw error;
        await tellClicker(
          args,
          buildNote(
            `I can't post in <#${channel}> yet: invite me there first (\`/invite @advisor\`), then pick it again.`,
          ),
        );
      }
    });
}

/** "forget me", confirmed: deletes everything stored about the person. */
export function handleForgetConfirm(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'forget me', args, async () => {
      const person = personOf(args.body);
      deps.users.forget(personKey(person));
      deps.store.forgetUser(person.teamId, person.userId);
      await args.respond({
        replace_original: true,
        ...buildNote(
          'Done: I deleted everything I stored about you (conversation, answers, results, questions and votes).',
        ),
      });
    });
}

export function handleForgetCancel(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'forget cancel', args, async () => {
      await args.respond({ replace_original: true, ...buildNote('OK, nothing was deleted.') });
    });
}
