import type { Logger } from '@slack/bolt';
import type { KnowledgeIndex } from './advisor/knowledge-index.js';
import type { Knowledge } from './knowledge/knowledge.js';
import type { AdvisorStore } from './store/advisor-store.js';
import type { UserStore } from './store/user-store.js';

/** What listeners need, passed in rather than imported, so tests can build the app with their own. */
export interface Deps {
  knowledge: Knowledge;
  /** Full-text index over the knowledge entries, built once at start-up. */
  knowledgeIndex: KnowledgeIndex;
  store: AdvisorStore;
  /** Per-person state: the questionnaire in progress and past results. */
  users: UserStore;
  logger: Logger;
  now: () => Date;
  newId: () => string;
  /** Idle questionnaires expire after this long. */
  questionnaireTtlMs: number;
}
