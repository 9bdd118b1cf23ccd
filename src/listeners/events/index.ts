import type { Deps } from '../../deps.js';
import type { EventRouter } from '../event-router.js';
import { handleAppHomeOpened } from './app-home-opened.js';
import { handleAppMention } from './app-mention.js';
import { handleAppUninstalled, handleTokensRevoked } from './uninstall.js';

export function register(events: EventRouter, deps: Deps): void {
  events.on('app_home_opened', handleAppHomeOpened(deps));
  events.on('app_mention', handleAppMention(deps));
  events.on('app_uninstalled', handleAppUninstalled(deps));
  events.on('tokens_revoked', handleTokensRevoked(deps));
}
