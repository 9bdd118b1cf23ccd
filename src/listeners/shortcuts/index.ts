import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { ASK_ADVISOR_SHORTCUT } from '../../slack-ids.js';
import { handleAskAdvisor } from './ask-advisor.js';

export function register(app: App, deps: Deps): void {
  app.shortcut({ type: 'message_action', callback_id: ASK_ADVISOR_SHORTCUT }, handleAskAdvisor(deps));
}
