import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCompareRequest } from '../../advisor/compare-request.js';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { startQuestionnaire } from '../../flows/questionnaire.js';
import { capSlackText } from '../../slack-text.js';
import { SORRY_TEXT } from '../../views/block-kit.js';
import { buildCompareView } from '../../views/compare-view.js';
import { ackEphemeral } from '../json-ack.js';

/**
 * `/pm-compare [role role] [topic] | help | quiz`: answers in the ack itself (ephemeral), well inside Slack's 3 seconds.
 * `quiz` then starts the questionnaire in the person's DM, after the ack.
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
