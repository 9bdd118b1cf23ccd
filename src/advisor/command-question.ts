import type { Knowledge } from '../knowledge/knowledge.js';
import type { KnowledgeIndex } from './knowledge-index.js';
import { answerQuestion, type QaOutcome } from './qa.js';

/** At most this many words make a bare topic ("salary", "career growth"), read as a comparison of the paths. */
const BARE_TOPIC_WORDS = 4;

/** Words that open a question ("what…", "do I…", "is it…"): with them, a message reads as a question. */
const QUESTION_OPENING =
  /^\W*(what|wat|whats|how|why|when|where|which|who|whom|whose|is|are|am|do|does|did|can|could|should|would|will|was|were|has|have|any)\b/i;

/** Whether a message reads as a question: it ends with "?" or opens with a question word. */
export function readsAsQuestion(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.endsWith('?') || QUESTION_OPENING.test(trimmed);
}

/** What `/pm-compare <text>` is taken as, when it names no dimension or role the comparison knows. */
export type CommandQuestion =
  /** A question the knowledge answers (or touches on): `question` is how it was read. */
  | { kind: 'answer'; question: string; outcome: QaOutcome; asItWas: boolean }
  /** A question the knowledge has no answer to: answered honestly ("I can't answer that"). */
  | { kind: 'unanswered'; question: string; outcome: QaOutcome }
  /** Neither a question nor a topic the knowledge answers: the command's "I didn't understand". */
  | { kind: 'not-a-question' };

function answers(outcome: QaOutcome): boolean {
  return outcome.kind === 'answer' || outcome.kind === 'partial';
}

/**
 * Reads the text after `/pm-compare` as a question. As it was first ("do I need an MBA?"); then, for a bare topic
 * that names no role ("salary"), as that topic between the two paths the command compares ("salary, IT PM or
 * General PM?"): within `/pm-compare` that is what a topic means. Slack-free.
 */
export function readCommandQuestion(
  index: KnowledgeIndex,
  knowledge: Knowledge,
  text: string,
): CommandQuestion {
  const question = text.replace(/\s+/g, ' ').trim();
  if (!question) return { kind: 'not-a-question' };
  const asked = answerQuestion(index, knowledge, question);
  if (answers(asked)) return { kind: 'answer', question, outcome: asked, asItWas: true };
  const frame = index.frame(question);
  const namesNoOne = frame.roles.size === 0 && frame.subjects.size === 0 && !frame.general;
  const words = question.split(' ').length;
  const [first, second] = knowledge.paths;
  if (namesNoOne && words <= BARE_TOPIC_WORDS && first && second && !readsAsQuestion(question)) {
    const between = `${question.replace(/(?<![?.!\s])[?.!\s]+$/, '')}, ${first.shortName} or ${second.shortName}?`;
    const outcome = answerQuestion(index, knowledge, between);
    if (answers(outcome)) return { kind: 'answer', question: between, outcome, asItWas: false };
  }
  if (readsAsQuestion(question) && words >= 3) return { kind: 'unanswered', question, outcome: asked };
  return { kind: 'not-a-question' };
}
