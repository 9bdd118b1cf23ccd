import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { offerSuggestedPrompts } from '../../flows/agent-surface.js';
import { publishHome } from '../../flows/home.js';

/** Publishes the person's Home tab (their dashboard, then the comparison) when they open it. */
export function handleAppHomeOpened(deps: Deps) {
  return async ({
    event,
    body,
    client,
    context,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    // The Messages tab (the agent surface): suggested prompts, where the workspace has them; a failure is quiet.
    if (event.tab === 'messages') {
      await offerSuggestedPrompts(deps, client, {
        teamId: context.teamId ?? '',
        channelId: event.channel,
      });
      return;
    }
    if (event.tab !== 'home') return;
    await publishHome(
      deps,
      client,
      { teamId: context.teamId ?? body.team_id, userId: event.user },
      { fresh: true },
    );
  };
}
