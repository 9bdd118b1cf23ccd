import type { Knowledge } from '../knowledge/knowledge.js';
import type { AnswerContribution, QuestionnaireResult } from './scoring.js';

/**
 * A questionnaire result in plain words: how many answers point each way and how strongly, never a points total
 * (totals can be negative and mean nothing to a person). Derived from the same contributions the lean is scored
 * from, so the words and the lean always agree.
 */
export interface ResultWording {
  /** "5 of your 7 answers point to IT PM, strongly" or "Your answers are balanced between IT PM and General PM". */
  summary: string;
  /** The rest: where the other answers point, and, when fewer answers carry the lean, why it still leans. */
  detail: string;
  /** summary and detail as one sentence or two, ending in a full stop. */
  sentence: string;
}

/** How strongly the lean holds, as an adverb. */
const LEAN_ADVERBS = { slight: 'slightly', clear: 'clearly', strong: 'strongly' } as const;

function answers(count: number): string {
  return count === 1 ? '1 answer' : `${count} answers`;
}

function points(count: number): string {
  return count === 1 ? 'points' : 'point';
}

function nameOf(knowledge: Knowledge, roleId: string | undefined): string {
  return (roleId && knowledge.rolesById.get(roleId)?.shortName) || 'neither path';
}

/** "1 points to General PM and 2 to neither": where these answers point, or '' when there are none. */
function elsewhere(parts: [number, string][]): string {
  const named = parts
    .filter(([count]) => count > 0)
    .map(([count, where], index) => `${count}${index === 0 ? ` ${points(count)}` : ''} to ${where}`);
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** How many of the answers that weigh anything point to each path, and to neither. */
export function countDirections(result: QuestionnaireResult): {
  total: number;
  byRole: Map<string, number>;
  neutral: number;
} {
  const byRole = new Map<string, number>();
  let neutral = 0;
  for (const contribution of result.contributions) {
    if (contribution.towardRoleId)
      byRole.set(contribution.towardRoleId, (byRole.get(contribution.towardRoleId) ?? 0) + 1);
    else neutral++;
  }
  return { total: result.contributions.length, byRole, neutral };
}

export function describeResult(knowledge: Knowledge, result: QuestionnaireResult): ResultWording {
  const { total, byRole, neutral } = countDirections(result);
  const [first, second] = knowledge.paths;
  const finish = (summary: string, detail: string): ResultWording => ({
    summary,
    detail,
    sentence: detail ? `${summary}. ${detail}.` : `${summary}.`,
  });
  if (total === 0)
    return finish('None of your answers points to one path more than the other', 'Both could suit you');

  if (!result.leanRoleId) {
    const split = elsewhere([
      ...knowledge.paths.map((role): [number, string] => [byRole.get(role.id) ?? 0, role.shortName]),
      [neutral, 'neither'],
    ]);
    return finish(
      `Your answers are balanced between ${nameOf(knowledge, first?.id)} and ${nameOf(knowledge, second?.id)}`,
      `Of your ${answers(total)}, ${split}: too close to call, both could suit you`,
    );
  }

  const lean = result.leanRoleId;
  const toward = byRole.get(lean) ?? 0;
  const adverb = LEAN_ADVERBS[result.strength as keyof typeof LEAN_ADVERBS] ?? 'slightly';
  const others = knowledge.paths.filter((role) => role.id !== lean);
  const against = others.reduce((sum, role) => sum + (byRole.get(role.id) ?? 0), 0);
  const rest = elsewhere([
    ...others.map((role): [number, string] => [byRole.get(role.id) ?? 0, role.shortName]),
    [neutral, 'neither'],
  ]);
  const summary = `${toward} of your ${answers(total)} ${points(toward)} to ${nameOf(knowledge, lean)}, ${adverb}`;
  if (toward > against) return finish(summary, rest);
  // Fewer answers carry the lean than point away from it: say why it leans anyway.
  return finish(summary, `${rest}, but the answers toward ${nameOf(knowledge, lean)} are the stronger ones`);
}

/** How strongly one answer pushed, in words: "strongly", "somewhat", "slightly" (or undefined when it is neutral). */
export function answerStrength(
  contribution: AnswerContribution,
): 'strongly' | 'somewhat' | 'slightly' | undefined {
  if (!contribution.towardRoleId || contribution.amount <= 0) return undefined;
  const share = contribution.maxAmount > 0 ? contribution.amount / contribution.maxAmount : 1;
  return share > 2 / 3 ? 'strongly' : share > 1 / 3 ? 'somewhat' : 'slightly';
}

/** Where one answer points, in words: "IT PM, strongly" or "neither path". */
export function describeContribution(knowledge: Knowledge, contribution: AnswerContribution): string {
  const strength = answerStrength(contribution);
  return strength ? `${nameOf(knowledge, contribution.towardRoleId)}, ${strength}` : 'neither path';
}
