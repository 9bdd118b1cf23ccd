import type { Logger } from '@slack/bolt';
import type { KnowledgeIndex } from './advisor/knowledge-index.js';
import type { AgentSurface } from './flows/agent-surface.js';
import type { Knowledge } from './knowledge/knowledge.js';
import type { HandledEvents } from './store/handled-events.js';
import type { InstallationStore } from './store/installation-store.js';
import type { PersonLock } from './store/person-lock.js';
import type { QaLog } from './store/qa-log.js';
import type { QuestionnaireStore } from './store/questionnaire-store.js';

/** The stores the app works with, reached through small async interfaces (the lowdb backend is the default). */
export interface Stores {
  /** Answers given with their votes, and questions the knowledge could not answer. */
  qaLog: QaLog;
  /** Slack events already answered, so a retried delivery is answered once. */
  handledEvents: HandledEvents;
  /** Per person: the questionnaire in progress and past results. */
  questionnaires: QuestionnaireStore;
  /** The workspaces (and organisations) that installed the app through OAuth. */
  installations: InstallationStore;
}

/** What listeners and flows need, passed in rather than imported, so tests can build the app with their own. */
export interface Deps extends Stores {
  knowledge: Knowledge;
  /** Full-text index over the knowledge entries, built once, when the first question needs it. */
  knowledgeIndex: Promise<KnowledgeIndex>;
  /**
   * One change at a time to a person's questionnaire (keyed by personKey): a `KeyedLock` within the process, or
   * the backend's own when several replicas share it (PostgreSQL).
   */
  personLock: PersonLock;
  logger: Logger;
  now: () => Date;
  newId: () => string;
  /** Idle questionnaires expire after this long. */
  questionnaireTtlMs: number;
  /** Questions in the Q&A log are deleted after this long. */
  qaLogRetentionMs: number;
  /** User ids who see the curators' part of the Home tab (CURATORS). */
  curators?: ReadonlySet<string>;
  /** The Messages tab's prompts and status, skipped in workspaces where they are unavailable. */
  agentSurface: AgentSurface;
}
