import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { handleAppHomeOpened } from './app-home-opened.js';
import { handleAppMention } from './app-mention.js';
import { handleAppUninstalled, handleTokensRevoked } from './uninstall.js';

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', handleAppHomeOpened(deps));
  app.event('app_mention', handleAppMention(deps));
  app.event('app_uninstalled', handleAppUninstalled(deps));
  app.event('tokens_revoked', handleTokensRevoked(deps));
}
