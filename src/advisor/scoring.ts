import { z } from 'zod';
import type { Factor, FactorOption, Knowledge, Role } from '../knowledge/knowledge.js';

export interface AnswerContribution {
  factor: Factor;
  option: FactorOption;
  /** Which role this answer pushed toward, and by how much (its weight minus the other role's). */
  towardRoleId?: string;
  amount: number;
  /** The largest push any answer to this question gives (so `amount / maxAmount` says how strongly this one pushed). */
  maxAmount: number;
}

export interface QuestionnaireResult {
  /** The leaning role, or undefined when the answers are balanced. */
  leanRoleId?: string;
  strength: 'balanced' | 'slight' | 'clear' | 'strong';
  /** Points per role. */
  totals: Record<string, number>;
  /** 0–1: the lead as a share of the largest lead these questions allow. */
  leadShare: number;
  contributions: AnswerContribution[];
  /** Answers that bring advice of their own (where the person comes from), in the order asked. */
  advice: FactorOption[];
  /** The one answer whose change would move the result most (flip or balance the lean). */
  pivot?: { factor: Factor; from: FactorOption; to: FactorOption; leanRoleIdAfter?: string };
}

/** A lead of this many points or fewer is "balanced". */
export const BALANCED_MARGIN = 1;

function totalsFor(knowledge: Knowledge, answers: Record<string, string>): Record<string, number> {
  const totals = Object.fromEntries(knowledge.paths.map((role) => [role.id, 0]));
  for (const [factorId, optionId] of Object.entries(answers)) {
    const option = knowledge.factorsById
      .get(factorId)
      ?.options.find((candidate) => candidate.id === optionId);
    if (!option) continue;
    for (const role of knowledge.paths)
      totals[role.id] = (totals[role.id] ?? 0) + (option.weights[role.id] ?? 0);
  }
  return totals;
}

function rank(
  roles: readonly Role[],
  totals: Record<string, number>,
): { first?: Role; second?: Role; margin: number } {
  const sorted = [...roles].sort((a, b) => (totals[b.id] ?? 0) - (totals[a.id] ?? 0));
  const [first, second] = sorted;
  return { first, second, margin: (totals[first?.id ?? ''] ?? 0) - (totals[second?.id ?? ''] ?? 0) };
}

function leanOf(roles: readonly Role[], totals: Record<string, number>): string | undefined {
  const { first, margin } = rank(roles, totals);
  return margin > BALANCED_MARGIN ? first?.id : undefined;
}

/** Weighs the answers: the lean, how clear it is, what pushed it, and what would change it. */
export function scoreAnswers(knowledge: Knowledge, answers: Record<string, string>): QuestionnaireResult {
  const totals = totalsFor(knowledge, answers);
  const { first, second, margin } = rank(knowledge.paths, totals);
  const leanRoleId = leanOf(knowledge.paths, totals);

  const contributions: AnswerContribution[] = [];
  const advice: FactorOption[] = [];
  let largestLead = 0;
  for (const [factorId, optionId] of Object.entries(answers)) {
    const factor = knowledge.factorsById.get(factorId);
    const option = factor?.options.find((candidate) => candidate.id === optionId);
    if (!factor || !option || !first || !second) continue;
    if (option.skillsToBuild.length > 0 || option.nextSteps.length > 0) advice.push(option);
    // A question that weighs nothing (where you come from) tailors the advice; it never pushes the lean.
    if (weighsNothing(factor)) continue;
    const difference = (option.weights[first.id] ?? 0) - (option.weights[second.id] ?? 0);
    const maxAmount = Math.max(
      ...factor.options.map((candidate) =>
        Math.abs((candidate.weights[first.id] ?? 0) - (candidate.weights[second.id] ?? 0)),
      ),
    );
    contributions.push({
      factor,
      option,
      towardRoleId: difference > 0 ? first.id : difference < 0 ? second.id : undefined,
      amount: Math.abs(difference),
      maxAmount,
    });
    largestLead += maxAmount;
  }
  contributions.sort((a, b) => b.amount - a.amount);
  const leadShare = largestLead > 0 ? Math.max(0, margin) / largestLead : 0;
  const strength = !leanRoleId
    ? 'balanced'
    : leadShare < 0.25
      ? 'slight'
      : leadShare < 0.5
        ? 'clear'
        : 'strong';

  // The single changed answer that moves the result most: a flip beats a balance; among flips the one that
  // leans furthest the other way, among balances the one that evens the scores most.
  let pivot: QuestionnaireResult['pivot'];
  let pivotRank = -Infinity;
  for (const [factorId, optionId] of Object.entries(answers)) {
    const factor = knowledge.factorsById.get(factorId);
    const from = factor?.options.find((candidate) => candidate.id === optionId);
    if (!factor || !from) continue;
    for (const to of factor.options) {
      if (to.id === from.id) continue;
      const after = totalsFor(knowledge, { ...answers, [factorId]: to.id });
      const leanAfter = leanOf(knowledge.paths, after);
      if (leanAfter === leanRoleId) continue;
      const flipped = leanAfter !== undefined;
      const marginAfter = Math.abs(rank(knowledge.paths, after).margin);
      const rankOfChange = flipped ? 1000 + marginAfter : -marginAfter;
      if (rankOfChange > pivotRank) {
        pivotRank = rankOfChange;
        pivot = { factor, from, to, leanRoleIdAfter: leanAfter };
      }
    }
  }
  return { leanRoleId, strength, totals, leadShare, contributions, advice, pivot };
}

/** A question whose every answer gives every path the same weight. */
export function weighsNothing(factor: Factor): boolean {
  return factor.options.every((option) => new Set(Object.values(option.weights)).size <= 1);
}

/**
 * A finished questionnaire as it is kept in a person's history: the answers (from which the full result is scored
 * again when shown) and the lean they had when finished.
 */
export const savedResultSchema = z.object({
  id: z.string(),
  /** The questionnaire it finished (absent in results saved before it was recorded). */
  sessionId: z.string().optional(),
  at: z.string(),
  /** The leaning role id, or absent when balanced. */
  leanRoleId: z.string().optional(),
  strength: z.string(),
  totals: z.record(z.string(), z.number()),
  answers: z.record(z.string(), z.string()),
});
export type SavedResult = z.infer<typeof savedResultSchema>;
