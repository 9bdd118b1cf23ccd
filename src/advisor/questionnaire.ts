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
  session.updatedAt = now.toISOString();
  return { kind: 'answered', factor, option };
}

/** Steps back one question, forgetting its answer. False when already at the first question. */
export function goBack(session: QuestionnaireSession, now: Date): boolean {
  if (session.step === 0) return false;
  session.step--;
  const factorId = session.factorIds[session.step];
  if (factorId) delete session.answers[factorId];
  session.updatedAt = now.toISOString();
  return true;
}

export function isExpired(session: QuestionnaireSession, now: Date, ttlMs: number): boolean {
  return now.getTime() - Date.parse(session.updatedAt) > ttlMs;
}
