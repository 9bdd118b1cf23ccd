import type { QuestionnaireSession } from '../../src/advisor/questionnaire.js';
import type { SavedResult } from '../../src/advisor/scoring.js';
import { T0 } from './clock.js';

const iso = (offsetMs = 0) => new Date(T0 + offsetMs).toISOString();

/** A questionnaire in progress as the stores keep it: Alice's, one question answered (override what matters). */
export function storedSession(overrides: Partial<QuestionnaireSession> = {}): QuestionnaireSession {
  return {
    id: 'qs0000000001',
    teamId: 'T0TEAM0001',
    userId: 'U0ALICE0001',
    channelId: 'D0DM000001',
    factorIds: ['tech-inclination', 'industries', 'strengths'],
    answers: { 'tech-inclination': 'tech-inclination-high' },
    step: 1,
    questionTs: { 'tech-inclination': '1740819600.000100' },
    startedAt: iso(),
    updatedAt: iso(1000),
    ...overrides,
  };
}

/** A finished questionnaire's result as the stores keep it. */
export function storedResult(id: string, overrides: Partial<SavedResult> = {}): SavedResult {
  return {
    id,
    at: iso(60_000),
    leanRoleId: 'it-pm',
    strength: 'clear',
    totals: { 'it-pm': 12, 'general-pm': 4 },
    answers: { 'tech-inclination': 'tech-inclination-high' },
    ...overrides,
  };
}
