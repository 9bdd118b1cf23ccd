import { createHash } from 'node:crypto';
import type { RequestListener, ServerResponse } from 'node:http';
import {
  type InstallationStore as BoltInstallationStore,
  type Installation,
  type InstallationQuery,
  type Logger,
  webApi,
} from '@slack/bolt';
import type { StateStore } from '@slack/oauth';
// A CommonJS package whose re-exports Node's ESM loader cannot name: the classes come from its default export.
import slackOAuth from '@slack/oauth';
import type { InstallationStore, StoredInstallation } from './store/installation-store.js';

/** What the app keeps of an installation @slack/oauth built from oauth.v2.access (no user token: no user scopes). */
export function storedInstallationOf(installation: Installation, installedAt: Date): StoredInstallation {
  const { bot } = installation;
  if (!bot?.token || !bot.userId)
    throw new Error('the installation has no bot token: the app asks for bot scopes only');
  return {
    ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
    ...(installation.team?.id ? { teamId: installation.team.id } : {}),
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
    ...(installation.appId ? { appId: installation.appId } : {}),
    botToken: bot.token,
    botId: bot.id,
    botUserId: bot.userId,
    scopes: bot.scopes,
    ...(installation.user?.id ? { installerUserId: installation.user.id } : {}),
    installedAt: installedAt.toISOString(),
    ...(installation.team?.name ? { teamName: installation.team.name } : {}),
    ...(installation.enterprise?.name ? { enterpriseName: installation.enterprise.name } : {}),
    ...(installation.enterpriseUrl ? { enterpriseUrl: installation.enterpriseUrl } : {}),
  };
}

/** A stored installation as @slack/oauth's authorize reads it. */
export function boltInstallationOf(stored: StoredInstallation): Installation<'v2', boolean> {
  return {
    team: stored.teamId ? { id: stored.teamId, name: stored.teamName } : undefined,
    enterprise: stored.enterpriseId ? { id: stored.enterpriseId, name: stored.enterpriseName } : undefined,
    isEnterpriseInstall: stored.isEnterpriseInstall,
    appId: stored.appId,
    enterpriseUrl: stored.enterpriseUrl,
    tokenType: 'bot',
    authVersion: 'v2',
    bot: { token: stored.botToken, id: stored.botId, userId: stored.botUserId, scopes: stored.scopes },
    user: { id: stored.installerUserId ?? '', token: undefined, scopes: undefined },
  } as Installation<'v2', boolean>;
}

function keyOf(query: InstallationQuery<boolean>) {
  return {
    teamId: query.teamId,
    enterpriseId: query.enterpriseId,
    isEnterpriseInstall: query.isEnterpriseInstall,
  };
}

/**
 * The app's installation store as @slack/oauth's InstallationStore: the OAuth redirect stores through it, and Bolt's
 * authorize fetches each request's workspace (or organisation) token through it. A request from a workspace of an
 * org-wide install notes that workspace, so uninstalling the organisation forgets what is stored about it.
 */
export function boltInstallationStore(
  store: InstallationStore,
  now: () => Date = () => new Date(),
): BoltInstallationStore {
  return {
    async storeInstallation(installation) {
      await store.save(storedInstallationOf(installation as Installation, now()));
    },
    async fetchInstallation(query) {
      const stored = await store.find(keyOf(query));
      if (!stored) {
        const where = query.isEnterpriseInstall
          ? `organisation ${query.enterpriseId}`
          : `workspace ${query.teamId}`;
        throw new Error(`pm-advisor is not installed in ${where}`);
      }
      if (stored.isEnterpriseInstall && stored.enterpriseId && query.teamId)
        await store.noteWorkspace(stored.enterpriseId, query.teamId);
      return boltInstallationOf(stored);
    },
    async deleteInstallation(query) {
      await store.delete(keyOf(query));
    },
  };
}

const { ClearStateStore, InvalidStateError } = slackOAuth;

/** How long a state is good for: @slack/oauth's default (the state cookie expires with it). */
export const STATE_EXPIRY_SECONDS = 600;

/** Whether a state is being used for the first time: InstallationStore.claimState, shared by the replicas. */
export type ClaimState = (key: string, expiresAt: Date) => Promise<boolean>;

/**
 * @slack/oauth's signed, stateless state (ClearStateStore: any replica with the same SLACK_STATE_SECRET verifies
 * it, so an install begun on one completes on another), taken only once: a redirect replayed with the same state
 * and cookie is refused, whichever replica it reaches and after a restart too, because each use is claimed in the
 * installation store (a hash of the state, kept until it expires). The code it carries is single-use at Slack too.
 */
export class OnceOnlyStateStore implements StateStore {
  private readonly signed: InstanceType<typeof ClearStateStore>;

  constructor(
    stateSecret: string,
    private readonly claim: ClaimState,
    private readonly expirySeconds = STATE_EXPIRY_SECONDS,
  ) {
    this.signed = new ClearStateStore(stateSecret, expirySeconds);
  }

  generateStateParam: StateStore['generateStateParam'] = (installOptions, now) =>
    this.signed.generateStateParam(installOptions, now);

  verifyStateParam: StateStore['verifyStateParam'] = async (now, state) => {
    // Verified first, so only states this app signed (and not expired) are ever stored.
    const options = await this.signed.verifyStateParam(now, state);
    const key = createHash('sha256').update(state).digest('base64url');
    const expiresAt = new Date(now.getTime() + this.expirySeconds * 1000);
    if (!(await this.claim(key, expiresAt))) throw new InvalidStateError('The state value was already used');
    return options;
  };
}

const { InstallProvider } = slackOAuth;

export interface AdminInstallOptions {
  clientId: string;
  clientSecret: string;
  installationStore: BoltInstallationStore;
  redirectPath: string;
  clientOptions: webApi.WebClientOptions;
  logger: Logger;
}

/**
 * SLACK_OAUTH_ADMIN_INSTALLS: an Enterprise Grid admin can install an org-ready app from the organisation's admin
 * page, and Slack then sends them to the redirect URL with a code and no state, since nothing of the app's started
 * it (https://github.com/slackapi/bolt-js/issues/1101). Such a redirect, and only such a one, is completed here by a
 * second installer that checks no state; every redirect with a state still goes through Bolt's checks. Only an
 * org-wide install is kept: a workspace install without a state is what a forged redirect would be (CSRF), so it is
 * refused (403) and its fresh token revoked.
 */
export function acceptAdminInstalls(next: RequestListener, options: AdminInstallOptions): RequestListener {
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateVerification: false,
    installationStore: options.installationStore,
    clientOptions: options.clientOptions,
    logger: options.logger,
  });
  const callbackOptions = {
    afterInstallation: async (
      installation: Installation,
      _options: unknown,
      _req: unknown,
      res: ServerResponse,
    ) => {
      if (installation.isEnterpriseInstall) return true;
      const token = installation.bot?.token;
      if (token)
        await new webApi.WebClient(token, options.clientOptions).auth.revoke().catch((error: Error) => {
          options.logger.warn(`could not revoke the token of a refused install: ${error.message}`);
        });
      options.logger.warn(
        `refused an install of workspace ${installation.team?.id ?? '?'} that came without a state: only org-wide installs may start from the admin page`,
      );
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html><body><p>This install did not start from this app, so it was not completed. To add the app to a workspace, start from its <a href="install">install page</a>.</p></body></html>',
      );
      return false;
    },
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== options.redirectPath || url.searchParams.has('state')) {
      next(req, res);
      return;
    }
    installer.handleCallback(req, res, callbackOptions).catch((error: Error) => {
      options.logger.error(`the admin-page install failed: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}
