import { z } from 'zod';
import type { Factor, FactorOption, Knowledge } from '../knowledge/knowledge.js';

/**
 * A questionnaire in progress. Stored per workspace + user; plain data so it survives restarts. The schema is the
 * one description of its shape: stores validate what they read with it.
 */
export const questionnaireSessionSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string(),
  /** The DM where the questions are asked. */
  channelId: z.string(),
  /** Factor ids in the order asked, fixed when the questionnaire starts. */
  factorIds: z.array(z.string()),
  /** factorId → optionId */
  answers: z.record(z.string(), z.string()),
  /** Index into factorIds of the question waiting for an answer. */
  step: z.number().int().min(0),
  /** factorId → ts of the message that asked it, so it can be updated in place once answered. */
  questionTs: z.record(z.string(), z.string()),
  startedAt: z.string(),
  updatedAt: z.string(),
  /**
   * Counts the changes to the answers (an answer, a "back"). A confirmation to drop the answers names the revision
   * it was asked at, so one clicked after the person answered more drops nothing. Absent in sessions saved before
   * it existed: 0.
   */
  revision: z.number().int().min(0).optional(),
  /** When the question waiting for an answer was last posted in full. Absent: the last change (`updatedAt`). */
  askedAt: z.string().optional(),
  /** Messages in the DM below that question since (side questions, replies that matched nothing). Absent: 0. */
  messagesBelow: z.number().int().min(0).optional(),
  /**
   * A drop asked to be confirmed (cancel or restart, at this revision): a typed yes or no answers it too, as the
   * very next message only (anything posted below it clears this).
   */
  pendingDrop: z
    .object({ control: z.enum(['cancel', 'restart']), revision: z.number().int().min(0) })
    .optional(),
});
export type QuestionnaireSession = z.infer<typeof questionnaireSessionSchema>;

export function startSession(
  knowledge: Knowledge,
  who: { teamId: string; userId: string; channelId: string },
  now: Date,
  id: string,
): QuestionnaireSession {
  return {
    id,
    ...who,
    factorIds: knowledge.factors.map((factor) => factor.id),
    answers: {},
    step: 0,
    questionTs: {},
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function currentFactor(knowledge: Knowledge, session: QuestionnaireSession): Factor | undefined {
  const factorId = session.factorIds[session.step];
  return factorId ? knowledge.factorsById.get(factorId) : undefined;
}

export function isComplete(session: QuestionnaireSession): boolean {
  return session.step >= session.factorIds.length;
}

export type AnswerOutcome = { kind: 'answered'; factor: Factor; option: FactorOption } | { kind: 'stale' };

/**
 * Takes an answer to the question waiting for one. An answer to any other question (an old button,
 * a second delivery of the same click) is stale and changes nothing.
 */
export function takeAnswer(
  knowledge: Knowledge,
  session: QuestionnaireSession,
  factorId: string,
  optionId: string,
  now: Date,
): AnswerOutcome {
  const factor = currentFactor(knowledge, session);
  const option = factor?.options.find((candidate) => candidate.id === optionId);
  if (!factor || factor.id !== factorId || !option) return { kind: 'stale' };
  session.answers[factor.id] = option.id;
  session.step++;
  changed(session, now);
  return { kind: 'answered', factor, option };
}

/** Steps back one question, forgetting its answer. False when already at the first question. */
export function goBack(session: QuestionnaireSession, now: Date): boolean {
  if (session.step === 0) return false;
  session.step--;
  const factorId = session.factorIds[session.step];
  if (factorId) delete session.answers[factorId];
  changed(session, now);
  return true;
}

/** The answers changed: a new revision, and a new question waiting that has not been posted yet. */
function changed(session: QuestionnaireSession, now: Date): void {
  session.updatedAt = now.toISOString();
  session.revision = revisionOf(session) + 1;
  delete session.askedAt;
  delete session.messagesBelow;
}

export function isExpired(session: QuestionnaireSession, now: Date, ttlMs: number): boolean {
  return now.getTime() - Date.parse(session.updatedAt) > ttlMs;
}

/** How many questions the person has answered so far: what dropping the questionnaire would lose. */
export function answeredCount(session: QuestionnaireSession): number {
  return Object.keys(session.answers).length;
}

export function revisionOf(session: QuestionnaireSession): number {
  return session.revision ?? 0;
}

/** The drop waiting for a typed yes or no: the one asked at the session's present revision, if any. */
export function pendingDropOf(
  session: QuestionnaireSession,
): { control: 'cancel' | 'restart'; revision: number } | undefined {
  const pending = session.pendingDrop;
  return pending && pending.revision === revisionOf(session) ? pending : undefined;
}

/** "Question 3 of 8": the position of the question waiting for an answer. */
export function questionPosition(session: QuestionnaireSession): { number: number; of: number } {
  return { number: Math.min(session.step + 1, session.factorIds.length), of: session.factorIds.length };
}

/**
 * What a confirmation to drop the answers, asked at `asked`, finds now: the same questionnaire at the same revision
 * ('confirmed'), the same one changed since ('moved-on': the person answered or went back after being asked), or
 * none, or another one ('ended': dropped already, finished, expired, or restarted; a second delivery of the click).
 */
export function checkDropConfirmation(
  session: QuestionnaireSession | undefined,
  asked: { sessionId: string; revision: number },
): 'confirmed' | 'moved-on' | 'ended' {
  if (!session || session.id !== asked.sessionId) return 'ended';
  return revisionOf(session) === asked.revision ? 'confirmed' : 'moved-on';
}

/**
 * When the waiting question counts as scrolled out of sight: more than this many messages below it, or posted more
 * than this long ago. Until then a side question or a reply that matched nothing gets a one-line pointer to it;
 * after, it is posted again in full.
 */
export const QUESTION_OUT_OF_SIGHT = { messages: 8, ms: 30 * 60 * 1000 } as const;

/**
 * Notes `added` more messages in the DM below the waiting question, and says how to point the person back to it:
 * a short 'pointer', or 'repost' it in full when it has scrolled out of sight (QUESTION_OUT_OF_SIGHT).
 */
export function noteMessagesBelow(
  session: QuestionnaireSession,
  added: number,
  now: Date,
): 'pointer' | 'repost' {
  const below = (session.messagesBelow ?? 0) + added;
  session.messagesBelow = below;
  // Something else came after a confirmation to drop: a typed yes no longer answers it (its buttons still do).
  delete session.pendingDrop;
  const askedAt = Date.parse(session.askedAt ?? session.updatedAt);
  const longAgo = now.getTime() - askedAt > QUESTION_OUT_OF_SIGHT.ms;
  return below > QUESTION_OUT_OF_SIGHT.messages || longAgo ? 'repost' : 'pointer';
}

/** The question waiting for an answer was posted in full (message `ts`): nothing is below it yet. */
export function markQuestionAsked(
  session: QuestionnaireSession,
  factorId: string,
  ts: string,
  now: Date,
): void {
  session.questionTs[factorId] = ts;
  session.askedAt = now.toISOString();
  delete session.messagesBelow;
  delete session.pendingDrop;
}
