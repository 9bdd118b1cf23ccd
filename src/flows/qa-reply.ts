import type { AllMiddlewareArgs } from '@slack/bolt';
import { answerQuestion, type QaOutcome } from '../advisor/qa.js';
import type { Deps } from '../deps.js';
import { buildQaReplyView } from '../views/answer-view.js';
import { BLOCK_KIT_LIMITS, type SlackMessage } from '../views/block-kit.js';
import { isStoreWriteError } from './failure.js';

export interface Asker {
  teamId: string;
  channelId: string;
  userId: string;
}

/** Forum-length posts are read whole; a 40,000-character message is cut here, before any analysis. */
export const QUESTION_ANALYSIS_LIMIT = 2_000;

/** No feedback buttons refer to a stored answer in replies that present no entry. */
const NO_ANSWER_ID = '';

/**
 * Answers a question (plain text: the listener has already turned Slack's markup into text) from the knowledge
 * store and records it: what was presented (for feedback), and what it
 * could not answer (for curators). Questions outside the advisor's scope are not recorded.
 */
export async function replyToQuestion(deps: Deps, asker: Asker, text: string): Promise<SlackMessage> {
  const question = asQuestion(text);
  const outcome = answerQuestion(await deps.knowledgeIndex, deps.knowledge, question);
  return replyToOutcome(deps, asker, question, outcome);
}

/** A person's text as the matcher reads it: cut to QUESTION_ANALYSIS_LIMIT, on one line. */
export function asQuestion(text: string): string {
  return text.slice(0, QUESTION_ANALYSIS_LIMIT).replace(/\s+/g, ' ').trim();
}

/** Records an outcome already worked out (the Q&A log, as replyToQuestion does) and builds its reply. */
export async function replyToOutcome(
  deps: Deps,
  asker: Asker,
  question: string,
  outcome: QaOutcome,
): Promise<SlackMessage> {
  const answerId = await record(deps, asker, question, outcome).catch((error: unknown) => {
    // The answer is what was asked for: it is given even when the log cannot be written (without feedback buttons).
    if (!isStoreWriteError(error)) throw error;
    deps.logger.warn('the Q&A log could not be written; answering without feedback buttons', error);
    return NO_ANSWER_ID;
  });
  return buildQaReplyView(deps.knowledge, outcome, answerId);
}

/** Records an outcome; returns the id of the stored answer when an entry was presented. */
async function record(deps: Deps, asker: Asker, question: string, outcome: QaOutcome): Promise<string> {
  switch (outcome.kind) {
    case 'empty':
    case 'out-of-scope':
      return NO_ANSWER_ID;
    case 'unknown':
      await deps.qaLog.logUnanswered({
        ...asker,
        question,
        closestIds: outcome.closest.map((entry) => entry.id),
      });
      return NO_ANSWER_ID;
    case 'partial':
      await deps.qaLog.logUnanswered({ ...asker, question, closestIds: [outcome.entry.id] });
      return deps.qaLog.logAnswer({ ...asker, question, entryIds: [outcome.entry.id] });
    case 'answer':
      for (const part of outcome.parts) {
        if (part.kind === 'answered') continue;
        const closestIds = part.kind === 'touches' ? [part.entry.id] : [];
        await deps.qaLog.logUnanswered({ ...asker, question: part.part.text, closestIds });
      }
      return deps.qaLog.logAnswer({
        ...asker,
        question,
        entryIds: outcome.entries.map((entry) => entry.id),
      });
  }
}

/**
 * An answer that could not be posted where it was asked goes to the asker's DM with the app instead, below `note`
 * (saying why it is there). When the DM cannot be opened or posted to either, `original` (the first failure) is
 * thrown, for the caller to log.
 */
export async function postInDmInstead(
  client: AllMiddlewareArgs['client'],
  asker: Asker,
  note: SlackMessage,
  reply: SlackMessage,
  original: unknown,
): Promise<void> {
  const dm = await client.conversations.open({ users: asker.userId }).catch(() => undefined);
  const dmChannel = dm?.channel?.id;
  if (!dmChannel) throw original;
  await client.chat
    .postMessage({
      channel: dmChannel,
      text: `${note.text} ${reply.text}`,
      blocks: [...note.blocks, ...reply.blocks].slice(0, BLOCK_KIT_LIMITS.blocksPerMessage),
    })
    .catch(() => {
      throw original;
    });
}
