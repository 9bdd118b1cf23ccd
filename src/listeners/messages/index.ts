import type { Deps } from '../../deps.js';
import type { EventRouter } from '../event-router.js';
import { handleDirectMessage } from './direct-message.js';

export function register(events: EventRouter, deps: Deps): void {
  // Only message.im is subscribed in manifest.yml, so these are direct messages to the bot.
  events.on('message', handleDirectMessage(deps));
}
