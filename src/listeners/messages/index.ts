import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { handleDirectMessage } from './direct-message.js';

export function register(app: App, deps: Deps): void {
  // Only message.im is subscribed in manifest.yml, so these are direct messages to the bot.
  app.event('message', handleDirectMessage(deps));
}
