import { detectDmIntent } from '../../advisor/dm-intents.js';
import { answerQuestion } from '../../advisor/qa.js';
import { stripSlackMarkup } from '../../advisor/question-analyzer.js';
import type { Deps } from '../../deps.js';
import { STORE_LIMITS } from '../../store/advisor-store.js';
import { buildAnswerView, buildAskMeView, buildUnknownAnswerView } from '../../views/answer-view.js';
import type { SlackMessage } from '../../views/block-kit.js';

export interface Asker {
  teamId: string;
  channelId: string;
  userId: string;
}

/** Answers a question from the knowledge store and records it: the answer (for feedback) or the gap (for curators). */
export function replyToQuestion(deps: Deps, asker: Asker, text: string): SlackMessage {
  // Questions are short; a 40,000-character message is not analysed (or stored) past the first part.
  const question = stripSlackMarkup(text).replace(/\s+/g, ' ').trim().slice(0, STORE_LIMITS.questionLength);
  const outcome = answerQuestion(deps.knowledgeIndex, deps.knowledge, question);
  switch (outcome.kind) {
    case 'empty':
      return buildAskMeView(deps.knowledge);
    case 'unknown':
      deps.store.recordUnanswered({
        ...asker,
        question,
        closestIds: outcome.closest.map((entry) => entry.id),
      });
      return buildUnknownAnswerView(deps.knowledge, question, outcome.closest);
    case 'answer': {
      const answerId = deps.store.recordAnswer({
        ...asker,
        question,
        entryIds: outcome.entries.map((entry) => entry.id),
      });
      // "Which should I choose?" is better served by the career conversation: offer it next to the answer.
      const offerQuestionnaire = detectDmIntent(question) === 'start';
      return buildAnswerView(deps.knowledge, outcome, answerId, { offerQuestionnaire });
    }
  }
}
