import type { Deps } from '../deps.js';
import { forgetCuratorSummaries } from './home.js';

/** Where an uninstall (or a revoked bot token) happened, and when Slack says it did. */
export interface Uninstall {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  /** The event's time (Slack's `event_time`, whole seconds). */
  at: Date;
  /** `app_uninstalled` or `tokens_revoked`, for the log. */
  reason: string;
}

export type UninstallOutcome =
  | { kind: 'forgotten'; workspaces: string[]; people: number }
  /** The app was installed again after the event: the new install and what it stored are kept. */
  | { kind: 'reinstalled'; installedAt: string };

/**
 * The app was uninstalled from a workspace (or an organisation), or its bot token revoked: deletes the installation
 * and everything stored about the people there (questions, votes, questionnaires, results). An event older than the
 * installation stored is about an earlier install (Slack can deliver it after a reinstall) and deletes nothing.
 */
export async function forgetUninstalledWorkspace(
  deps: Deps,
  uninstall: Uninstall,
): Promise<UninstallOutcome> {
  const key = {
    teamId: uninstall.teamId,
    enterpriseId: uninstall.enterpriseId,
    isEnterpriseInstall: uninstall.isEnterpriseInstall,
  };
  const installation = await deps.installations.find(key).catch(() => undefined);
  // event_time is whole seconds: only an install stored in a later second surely came after the event. One in the
  // same second is deleted (its people's data must not outlive an uninstall; a reinstall is one click away).
  if (
    installation &&
    Math.floor(Date.parse(installation.installedAt) / 1000) > uninstall.at.getTime() / 1000
  ) {
    deps.logger.info(
      `${uninstall.reason} from ${uninstall.teamId ?? uninstall.enterpriseId} is older than the install of ${installation.installedAt}: kept`,
    );
    return { kind: 'reinstalled', installedAt: installation.installedAt };
  }
  const workspaces = [
    ...new Set([...(uninstall.teamId ? [uninstall.teamId] : []), ...(installation?.workspaces ?? [])]),
  ];
  await deps.installations.delete(key);
  const [people] = await Promise.all([
    deps.questionnaires.forgetWorkspaces(workspaces),
    deps.qaLog.forgetWorkspaces(workspaces),
  ]);
  forgetCuratorSummaries(deps, workspaces);
  deps.logger.info(
    `${uninstall.reason}: forgot ${workspaces.join(', ') || uninstall.enterpriseId} (installation, Q&A log, ${people} person(s)' questionnaires)`,
  );
  return { kind: 'forgotten', workspaces, people };
}
