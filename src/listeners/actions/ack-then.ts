import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { failureText, logFailure } from '../../flows/failure.js';

type AnyBlockActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/**
 * Acknowledges an interaction at once, then does the work; a failure is logged with its context
 * (team, user, action, Slack error) and never reaches the person as raw error text: they get a short sorry.
 */
export async function ackThen(deps: Deps, what: string, args: AnyBlockActionArgs, work: () => Promise<void>) {
  await args.ack();
  try {
    await work();
  } catch (error) {
    logFailure(
      deps.logger,
      what,
      { team: args.body.team?.id, user: args.body.user.id, action: args.action.action_id },
      error,
    );
    // Told through the response_url, which works even when the Web API call that failed does not. A click in the
    // Home tab has none (Bolt gives no respond): the log is all there is.
    if (typeof args.respond !== 'function') return;
    await args
      .respond({ response_type: 'ephemeral', replace_original: false, text: failureText(error) })
      .catch(() => undefined);
  }
}
