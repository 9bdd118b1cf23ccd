import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import { EventRouter } from './event-router.js';
import * as events from './events/index.js';
import * as messages from './messages/index.js';
import * as shortcuts from './shortcuts/index.js';

/** The routing table: every Slack surface the app listens to. manifest.yml must list the same ones. */
export function registerListeners(app: App, deps: Deps): void {
  commands.register(app, deps);
  actions.register(app, deps);
  shortcuts.register(app, deps);
  // Events and messages share one Bolt listener (see EventRouter).
  const eventRouter = new EventRouter();
  events.register(eventRouter, deps);
  messages.register(eventRouter, deps);
  eventRouter.register(app);
}
