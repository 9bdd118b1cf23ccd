import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCompareRequest } from '../../advisor/compare-request.js';
import type { Deps } from '../../deps.js';
import { buildCompareView } from '../../views/compare-view.js';
import { SORRY_TEXT } from '../errors.js';

/** `/pm-compare [topic|help]`: answers in the ack itself (ephemeral), well inside Slack's 3 seconds. */
export function handlePmCompare(deps: Deps) {
  return async ({ command, ack }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    try {
      const request = parseCompareRequest(command.text ?? '', deps.knowledge);
      await ack({ response_type: 'ephemeral', ...buildCompareView(deps.knowledge, request) });
    } catch (error) {
      deps.logger.error('pm-compare failed', { team: command.team_id, user: command.user_id, error });
      await ack({ response_type: 'ephemeral', text: SORRY_TEXT });
    }
  };
}
