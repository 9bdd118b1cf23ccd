import { answerQuestion } from '../../advisor/qa.js';
import { stripSlackMarkup } from '../../advisor/question-analyzer.js';
import type { Deps } from '../../deps.js';
import {
  buildAnswerView,
  buildCapabilitiesView,
  buildOutOfScopeView,
  buildPartialAnswerView,
  buildUnknownAnswerView,
} from '../../views/answer-view.js';
import type { SlackMessage } from '../../views/block-kit.js';

export interface Asker {
  teamId: string;
  channelId: string;
  userId: string;
}

/** Forum-length posts are read whole; a 40,000-character message is cut here, before any analysis. */
export const QUESTION_ANALYSIS_LIMIT = 2_000;

/**
 * Answers a question from the knowledge store and records it: an answer (for feedback), or what it could not
 * answer (for curators). Questions outside the advisor's scope are not recorded.
 */
export function replyToQuestion(deps: Deps, asker: Asker, text: string): SlackMessage {
  const question = stripSlackMarkup(text.slice(0, QUESTION_ANALYSIS_LIMIT)).replace(/\s+/g, ' ').trim();
  const outcome = answerQuestion(deps.knowledgeIndex, deps.knowledge, question);
  switch (outcome.kind) {
    case 'empty':
      return buildCapabilitiesView(deps.knowledge);
    case 'out-of-scope':
      return buildOutOfScopeView(deps.knowledge, outcome.reason);
    case 'unknown':
      deps.store.recordUnanswered({
        ...asker,
        question,
        closestIds: outcome.closest.map((entry) => entry.id),
      });
      return buildUnknownAnswerView(deps.knowledge, outcome);
    case 'partial': {
      deps.store.recordUnanswered({ ...asker, question, closestIds: [outcome.entry.id] });
      const answerId = deps.store.recordAnswer({ ...asker, question, entryIds: [outcome.entry.id] });
      return buildPartialAnswerView(deps.knowledge, outcome, answerId);
    }
    case 'answer': {
      for (const part of outcome.parts) {
        if (part.kind === 'answered') continue;
        deps.store.recordUnanswered({
          ...asker,
          question: part.part.text,
          closestIds: part.kind === 'touches' ? [part.entry.id] : [],
        });
      }
      const answerId = deps.store.recordAnswer({
        ...asker,
        question,
        entryIds: outcome.entries.map((entry) => entry.id),
      });
      return buildAnswerView(deps.knowledge, outcome, answerId);
    }
  }
}
