import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { readsAsQuestion } from '../../advisor/command-question.js';
import { parseCompareRequest } from '../../advisor/compare-request.js';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { answerCommandQuestion } from '../../flows/private-answer.js';
import { startQuestionnaire } from '../../flows/questionnaire.js';
import { capSlackText, slackToPlainText } from '../../slack-text.js';
import { SORRY_TEXT } from '../../views/block-kit.js';
import { buildCompareView } from '../../views/compare-view.js';
import { ackEphemeral } from '../json-ack.js';

/**
 * `/pm-compare [role role] [topic] | help | quiz`: answers in the ack itself (ephemeral), well inside Slack's 3 seconds.
 * `quiz` then starts the questionnaire in the person's DM, after the ack. Text that is no topic, role or word of the
 * command (and no near miss of a topic: "skils") is taken as a question and answered privately, with "Share in
 * channel"; what is no question either gets the command's "I didn't understand".
 */
export function handlePmCompare(deps: Deps) {
  return async (args: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const { command, client, respond } = args;
    const request = (() => {
      try {
        return parseCompareRequest(capSlackText(command.text ?? ''), deps.knowledge);
      } catch (error) {
        logFailure(deps.logger, 'pm-compare', { team: command.team_id, user: command.user_id }, error);
        return undefined;
      }
    })();
    if (!request) {
      await args.ack({ response_type: 'ephemeral', text: SORRY_TEXT });
      return;
    }
    if (request.kind === 'unknown' && !request.suggestion) {
      const asker = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
      const text = slackToPlainText(command.text ?? '');
      const answer = () =>
        answerCommandQuestion(deps, asker, text).catch((error: unknown) => {
          logFailure(
            deps.logger,
            'pm-compare question',
            { team: command.team_id, user: command.user_id },
            error,
          );
          return undefined;
        });
      // A question is acknowledged at once and answered through the response_url (the first question of a
      // start waits for the Q&A index); a bare topic ("salary") is looked up first, so the ack says either.
      if (readsAsQuestion(text)) {
        await args.ack();
        const reply = (await answer()) ?? buildCompareView(deps.knowledge, request);
        await respond({ response_type: 'ephemeral', ...reply }).catch((error: unknown) =>
          logFailure(
            deps.logger,
            'pm-compare question reply',
            { team: command.team_id, user: command.user_id },
            error,
          ),
        );
        return;
      }
      const reply = await answer();
      if (reply) {
        await ackEphemeral(args, reply);
        return;
      }
    }
    await ackEphemeral(args, buildCompareView(deps.knowledge, request));
    if (request.kind !== 'quiz') return;
    try {
      await startQuestionnaire(deps, client, { teamId: command.team_id, userId: command.user_id });
    } catch (error) {
      logFailure(
        deps.logger,
        'starting the questionnaire',
        { team: command.team_id, user: command.user_id, command: command.command },
        error,
      );
      await respond({
        response_type: 'ephemeral',
        text: "Sorry, I couldn't open a direct message with you. Try sending me a DM saying *help me choose*.",
      }).catch(() => undefined);
    }
  };
}
