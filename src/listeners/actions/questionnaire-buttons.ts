import type {
  AllMiddlewareArgs,
  BlockAction,
  BlockButtonAction,
  ConversationsSelectAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { QUESTIONNAIRE_CONTROLS, type QuestionnaireControl } from '../../advisor/typed-answer.js';
import type { Deps } from '../../deps.js';
import { keepOnHome } from '../../flows/home-actions.js';
import {
  applyAnswer,
  applyControl,
  type ClickedMessage,
  confirmDrop,
  forgetPerson,
  keepGoing,
  reaskOwedQuestion,
  shareResult,
  startQuestionnaire,
} from '../../flows/questionnaire.js';
import {
  QUESTIONNAIRE_ANSWER_ACTION,
  QUESTIONNAIRE_CONTROL_ACTION,
  QUESTIONNAIRE_DROP_ACTION,
  QUESTIONNAIRE_SHARE_BLOCK,
  splitValue,
} from '../../slack-ids.js';
import { buildNote } from '../../views/block-kit.js';
import { buildStaleDropView } from '../../views/questionnaire-steer-view.js';
import { ackThen } from './ack-then.js';
import { clickedInHome, clickerOf, tellClicker } from './clicker.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;
type SelectArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ConversationsSelectAction>>;

const STALE_TEXT =
  'That question is no longer open (already answered, or the questionnaire ended or expired). Nothing changed.';

/** An answer button: applies once; any other click on it (old, repeated, expired) gets a short private note. */
export function handleQuestionnaireAnswer(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'questionnaire answer', args, async () => {
      const [sessionId = '', factorId = ''] = splitValue(args.action.value);
      const optionId = QUESTIONNAIRE_ANSWER_ACTION.partOf(args.action.action_id);
      const outcome = await applyAnswer(deps, args.client, clickerOf(args.body), {
        sessionId,
        factorId,
        optionId,
      });
      if (outcome === 'stale' && !(await reaskOwedQuestion(deps, args.client, clickerOf(args.body))))
        await tellClicker(args, buildNote(STALE_TEXT));
    });
}

export function handleQuestionnaireControl(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'questionnaire control', args, async () => {
      const control = QUESTIONNAIRE_CONTROL_ACTION.partOf(args.action.action_id);
      if (!QUESTIONNAIRE_CONTROLS.some((candidate) => candidate.id === control)) return;
      const applied = await applyControl(
        deps,
        args.client,
        clickerOf(args.body),
        control as QuestionnaireControl,
        args.action.value,
      );
      if (!applied) await tellClicker(args, buildNote(STALE_TEXT));
    });
}

/** "Find my path" or "Retake": the questionnaire starts in the person's DM (or resumes there, if in progress). */
export function handleQuestionnaireStart(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'questionnaire start', args, async () => {
      // Always the person's DM with the bot (a "D…" channel can also be a DM with someone else).
      const { channelId, resumed } = await startQuestionnaire(deps, args.client, clickerOf(args.body));
      if (channelId !== args.body.channel?.id) {
        await tellClicker(
          args,
          buildNote(
            resumed
              ? 'Your questionnaire is waiting in our direct messages, where you left off.'
              : 'I sent you a direct message with the first question.',
          ),
        );
      }
    });
}

/** The message a button was clicked in, when Slack says (not on every surface). */
function clickedMessage(args: ButtonArgs): ClickedMessage | undefined {
  const channel = args.body.channel?.id;
  const ts = args.body.message?.ts;
  return channel && ts ? { channel, ts } : undefined;
}

/** "Yes, drop my N answers": drops them only if the questionnaire is still as it was when asked. */
export function handleQuestionnaireDrop(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'questionnaire drop', args, async () => {
      const control = QUESTIONNAIRE_DROP_ACTION.partOf(args.action.action_id);
      if (control !== 'cancel' && control !== 'restart') return;
      const [sessionId = '', revision = ''] = splitValue(args.action.value);
      const outcome = await confirmDrop(deps, args.client, clickerOf(args.body), {
        control,
        sessionId,
        revision: /^\d+$/.test(revision) ? Number(revision) : -1,
        message: clickedMessage(args),
      });
      if (outcome !== 'dropped') await tellClicker(args, buildStaleDropView(outcome));
    });
}

/** "Keep going": nothing is dropped. */
export function handleQuestionnaireKeep(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'questionnaire keep going', args, async () => {
      const kept = await keepGoing(deps, args.client, clickerOf(args.body), {
        sessionId: args.action.value ?? '',
        message: clickedMessage(args),
      });
      if (!kept) await tellClicker(args, buildStaleDropView('ended'));
    });
}

/** The channel picker under a result: posts a short version there, only because the person chose to. */
export function handleQuestionnaireShare(deps: Deps) {
  return (args: SelectArgs) =>
    ackThen(deps, 'questionnaire share', args, async () => {
      const note = await shareResult(deps, args.client, clickerOf(args.body), {
        resultId: QUESTIONNAIRE_SHARE_BLOCK.partOf(args.action.block_id),
        channel: args.action.selected_conversation,
      });
      await tellClicker(args, note);
    });
}

/** "forget me", confirmed: deletes everything stored about the person. */
export function handleForgetConfirm(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'forget me', args, async () => {
      const person = clickerOf(args.body);
      await forgetPerson(deps, person, args.client);
      if (clickedInHome(args.body)) return;
      await args.respond({
        replace_original: true,
        ...buildNote(
          'Done: I deleted everything I stored about you (questionnaire, answers, results, questions and votes).',
        ),
      });
    });
}

export function handleForgetCancel(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'forget cancel', args, async () => {
      if (clickedInHome(args.body)) {
        await keepOnHome(deps, args.client, clickerOf(args.body));
        return;
      }
      await args.respond({ replace_original: true, ...buildNote('OK, nothing was deleted.') });
    });
}
