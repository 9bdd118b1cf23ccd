import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Person } from '../../advisor/person.js';
import type { SlackMessage } from '../../views/block-kit.js';

type ClickArgs = Pick<AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>, 'body' | 'respond'>;

/** Who clicked, as the stores know people. */
export function clickerOf(body: BlockAction): Person {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** A click in the Home tab (a view, not a message): there is no response_url to answer through. */
export function clickedInHome(body: BlockAction): boolean {
  return body.container?.type === 'view';
}

/**
 * Shows a message to the person who clicked and no one else: in place of their own ephemeral message, or as a
 * new ephemeral message when they clicked a message the whole channel sees (which stays as it is).
 */
export async function showToClicker({ body, respond }: ClickArgs, message: SlackMessage): Promise<void> {
  await respond({
    response_type: 'ephemeral',
    replace_original: Boolean(body.container?.is_ephemeral),
    ...message,
  });
}

/** A private note to the clicker that leaves the clicked message as it is, ephemeral or not. */
export async function tellClicker({ respond }: ClickArgs, message: SlackMessage): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, ...message });
}
