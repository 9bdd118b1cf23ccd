import type { Logger } from '@slack/bolt';
import type { Knowledge } from './knowledge/knowledge.js';

/** What listeners need, passed in rather than imported, so tests can build the app with their own. */
export interface Deps {
  knowledge: Knowledge;
  logger: Logger;
}
