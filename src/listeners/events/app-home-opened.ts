import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { offerSuggestedPrompts } from '../../flows/agent-surface.js';
import { logFailure } from '../../flows/failure.js';
import { buildHomeView } from '../../views/home-view.js';

/** Publishes the Home tab: the comparison and how to use the app, from the knowledge store. */
export function handleAppHomeOpened(deps: Deps) {
  return async ({
    event,
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
    try {
      await client.views.publish({ user_id: event.user, view: buildHomeView(deps.knowledge) });
    } catch (error) {
      logFailure(deps.logger, 'publishing the Home tab', { team: context.teamId, user: event.user }, error);
    }
  };
}
