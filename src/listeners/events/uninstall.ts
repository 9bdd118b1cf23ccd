import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { forgetUninstalledWorkspace } from '../../flows/uninstall.js';

type UninstallArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'>;

/** Where the event comes from (Bolt runs these two without authorising: the token is already gone). */
function uninstallOf({ body, context }: UninstallArgs, reason: string) {
  const authorization = body.authorizations?.[0];
  return {
    teamId: context.teamId ?? body.team_id,
    enterpriseId: context.enterpriseId ?? body.enterprise_id ?? authorization?.enterprise_id ?? undefined,
    isEnterpriseInstall: context.isEnterpriseInstall ?? authorization?.is_enterprise_install ?? false,
    at: new Date(body.event_time * 1000),
    reason,
  };
}

async function forget(deps: Deps, args: UninstallArgs, reason: string): Promise<void> {
  const uninstall = uninstallOf(args, reason);
  try {
    await forgetUninstalledWorkspace(deps, uninstall);
  } catch (error) {
    logFailure(deps.logger, `forgetting a workspace after ${reason}`, { team: uninstall.teamId }, error);
  }
}

/** The app was uninstalled: its installation and everything stored about the workspace's people go. */
export function handleAppUninstalled(deps: Deps) {
  return (args: UninstallArgs) => forget(deps, args, 'app_uninstalled');
}

/** Tokens were revoked: when the bot's is among them, the app can no longer act there, as after an uninstall. */
export function handleTokensRevoked(deps: Deps) {
  return async (args: UninstallArgs) => {
    const { event } = args as AllMiddlewareArgs & SlackEventMiddlewareArgs<'tokens_revoked'>;
    // Only user tokens (the app asks for none): nothing of the bot's install changed.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(deps, args, 'tokens_revoked');
  };
}
