import type { Factor, FactorOption, Knowledge, Role } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText } from './text.js';

/** A career conversation in progress. Stored per workspace + user; plain data so it survives restarts. */
export interface QuizSession {
  id: string;
  teamId: string;
  userId: string;
  /** The DM where the questions are asked. */
  channelId: string;
  /** Factor ids in the order asked, fixed when the conversation starts. */
  factorIds: string[];
  /** factorId → optionId */
  answers: Record<string, string>;
  /** Index into factorIds of the question waiting for an answer. */
  step: number;
  /** factorId → ts of the message that asked it, so it can be updated in place once answered. */
  questionTs: Record<string, string>;
  startedAt: string;
  updatedAt: string;
}

export function startSession(
  knowledge: Knowledge,
  who: { teamId: string; userId: string; channelId: string },
  now: Date,
  id: string,
): QuizSession {
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

export function currentFactor(knowledge: Knowledge, session: QuizSession): Factor | undefined {
  const factorId = session.factorIds[session.step];
  return factorId ? knowledge.factorsById.get(factorId) : undefined;
}

export function isComplete(session: QuizSession): boolean {
  return session.step >= session.factorIds.length;
}

export type AnswerOutcome = { kind: 'answered'; factor: Factor; option: FactorOption } | { kind: 'stale' };

/**
 * Records an answer to the question waiting for one. An answer to any other question (an old button,
 * a second delivery of the same click) is stale and changes nothing.
 */
export function recordAnswer(
  knowledge: Knowledge,
  session: QuizSession,
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
export function goBack(session: QuizSession, now: Date): boolean {
  if (session.step === 0) return false;
  session.step--;
  const factorId = session.factorIds[session.step];
  if (factorId) delete session.answers[factorId];
  session.updatedAt = now.toISOString();
  return true;
}

export function isExpired(session: QuizSession, now: Date, ttlMs: number): boolean {
  return now.getTime() - Date.parse(session.updatedAt) > ttlMs;
}

/** Typed words that steer the conversation at any point. */
export const QUIZ_CONTROLS = [
  { id: 'back', words: ['back', 'go back', 'previous', 'undo'], description: 'go back one question' },
  {
    id: 'restart',
    words: ['restart', 'start over', 'reset', 'retake'],
    description: 'start again from the first question',
  },
  { id: 'cancel', words: ['cancel', 'stop', 'quit', 'exit', 'abort'], description: 'stop the conversation' },
  { id: 'status', words: ['status', 'where am i', 'progress'], description: 'where you are' },
] as const;
export type QuizControl = (typeof QUIZ_CONTROLS)[number]['id'];

export function parseQuizControl(text: string): QuizControl | undefined {
  const normalized = normalizeText(text);
  return QUIZ_CONTROLS.find((control) => (control.words as readonly string[]).includes(normalized))?.id;
}

/**
 * Words about who someone is (gender, age, origin, family) are dropped before a typed answer is matched:
 * they must never steer the advice, whatever else the sentence says.
 */
export const PROTECTED_WORDS = new Set(
  (
    'man men male woman women female girl girls boy boys guy gal lady ladies gentleman he him his she her hers ' +
    'nonbinary trans transgender gender sex age aged old older young younger youth teen teenager senior retired ' +
    'years year mom mum dad mother father parent parents mother child children kid kids baby pregnant married ' +
    'single divorced wife husband partner family nationality national citizen immigrant foreigner american ' +
    'british indian chinese german french african european asian latino hispanic black white religion religious ' +
    'christian muslim jewish hindu disabled disability race ethnic ethnicity son sons daughter daughters ' +
    'moms mums dads mothers fathers wives husbands partners grandmother grandfather grandparent'
  ).split(' '),
);

function isProtected(token: string): boolean {
  return PROTECTED_WORDS.has(token) || PROTECTED_WORDS.has(foldPlural(token));
}

function meaningfulTokens(text: string): string[] {
  return normalizeText(text)
    .split(' ')
    .filter((token) => token && !isProtected(token))
    .map(foldPlural);
}

const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'doesnt',
  'isnt',
  'hardly',
  'nor',
  'non',
  'without',
]);
/** Typed answers are short; anything longer is not read past this many characters. */
const MAX_TYPED_ANSWER = 300;

const MATCH_STOP_WORDS = new Set(
  'a an the i im i am my me to of and or but it is be very really just so'.split(' '),
);

/** True when the tokens contain the phrase, not right after a negation ("not very technical" is not "very technical"). */
function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (!phrase.every((word, offset) => tokens[start + offset] === word)) continue;
    if (!NEGATIONS.has(tokens[start - 1] ?? '') || NEGATIONS.has(phrase[0] ?? '')) return true;
  }
  return false;
}

/**
 * Which option a typed reply picks: its number ("2", "#2", "option 2"), or words close to its label or aliases.
 * A reply that fits two options equally well, or mentions who the person is next to a number
 * ("I have 2 kids"), picks nothing, so the question is asked again.
 */
export function matchTypedOption(factor: Factor, text: string): FactorOption | undefined {
  const aboutThePerson = normalizeText(text).split(' ').some(isProtected);
  const words = meaningfulTokens(text.slice(0, MAX_TYPED_ANSWER));
  const numbers = words.filter((token) => /^\d+$/.test(token));
  // Next to words about who someone is, a number is about them ("I have 2 kids", "aged 45"), not an option.
  if (numbers.length === 1 && words.length <= 3 && !aboutThePerson)
    return factor.options[Number(numbers[0]) - 1];
  const tokens = words.filter((token) => !/^\d+$/.test(token));
  // "not software", "I dont love tech": a negated reply only matches an option phrased with a negation
  // ("not much", "not really"); anything else is asked again rather than read as its opposite.
  const negated = tokens.some((token) => NEGATIONS.has(token));
  let best: { option: FactorOption; score: number } | undefined;
  let tie = false;
  for (const option of factor.options) {
    // The longest alias or label phrase found decides; loose label words only count when no phrase matched.
    let score = 0;
    for (const alias of [option.label, ...option.aliases]) {
      const phrase = meaningfulTokens(alias);
      if (phrase.length === 0 || (negated && !phrase.some((token) => NEGATIONS.has(token)))) continue;
      if (containsPhrase(tokens, phrase)) score = Math.max(score, 10 * phrase.length);
    }
    if (score === 0 && !negated) {
      const labelWords = new Set(
        meaningfulTokens(option.label).filter((token) => !MATCH_STOP_WORDS.has(token)),
      );
      score = tokens.filter((token) => labelWords.has(token)).length;
    }
    if (score === 0) continue;
    if (!best || score > best.score) {
      best = { option, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.option : undefined;
}

export interface AnswerContribution {
  factor: Factor;
  option: FactorOption;
  /** Which role this answer pushed toward, and by how much (its weight minus the other role's). */
  towardRoleId?: string;
  amount: number;
}

export interface QuizResult {
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
export function scoreAnswers(knowledge: Knowledge, answers: Record<string, string>): QuizResult {
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
    contributions.push({
      factor,
      option,
      towardRoleId: difference > 0 ? first.id : difference < 0 ? second.id : undefined,
      amount: Math.abs(difference),
    });
    largestLead += Math.max(
      ...factor.options.map((candidate) =>
        Math.abs((candidate.weights[first.id] ?? 0) - (candidate.weights[second.id] ?? 0)),
      ),
    );
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
  let pivot: QuizResult['pivot'];
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
