import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';

type AnyBlockActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;

/**
 * Acknowledges an interaction at once, then does the work; a failure is logged with its context
 * (team, user, action, Slack error) and never reaches the person as raw error text.
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
  }
}
