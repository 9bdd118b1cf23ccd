import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { PM_COMPARE_COMMAND } from '../../slack-ids.js';
import { handlePmCompare } from './pm-compare.js';

export function register(app: App, deps: Deps): void {
  app.command(PM_COMPARE_COMMAND, handlePmCompare(deps));
}
