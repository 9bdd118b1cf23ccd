import type { QaOutcome } from '../src/advisor/qa.js';

/** A labelled question: the entry ids that answer it, or what the advisor should do instead. */
export interface LabelledQuestion {
  q: string;
  topic: string;
  expect: string[] | 'decline' | 'out-of-scope';
  /** Some part of it is not covered: the reply should say so. */
  partly?: boolean;
}

/** What a reply did with a question, as the benchmark counts it. */
export type Verdict =
  /** Everything presented as the answer is a labelled answer (or a declined question was declined). */
  | 'right'
  /** An entry was presented as the answer that does not answer the question. */
  | 'wrong'
  /** "I can't answer that", or a topic offered under "I can't answer that directly". */
  | 'declined'
  /** The out-of-scope reply. */
  | 'out-of-scope';

export function presentedEntries(outcome: QaOutcome): string[] {
  return outcome.kind === 'answer' ? outcome.entries.map((entry) => entry.id) : [];
}

/** Scores one reply against its label. */
export function judge(label: LabelledQuestion, outcome: QaOutcome): Verdict {
  const presented = presentedEntries(outcome);
  if (presented.length > 0) {
    const expected = label.expect;
    if (Array.isArray(expected) && presented.every((id) => expected.includes(id))) return 'right';
    return 'wrong';
  }
  if (outcome.kind === 'out-of-scope') return label.expect === 'out-of-scope' ? 'out-of-scope' : 'declined';
  if (outcome.kind === 'partial' && label.expect === 'out-of-scope') return 'wrong';
  return label.expect === 'decline' ? 'right' : 'declined';
}

export interface Tally {
  questions: number;
  /** Questions the knowledge answers, and how many of them were answered right. */
  covered: number;
  coveredRight: number;
  /** Questions it can't answer, and how many were honestly declined. */
  uncovered: number;
  uncoveredDeclined: number;
  outOfScope: number;
  outOfScopeDeclined: number;
  /** Out-of-scope questions that got the out-of-scope reply itself (not a plain decline). */
  outOfScopeReply: number;
  wrong: number;
}

export function emptyTally(): Tally {
  return {
    questions: 0,
    covered: 0,
    coveredRight: 0,
    uncovered: 0,
    uncoveredDeclined: 0,
    outOfScope: 0,
    outOfScopeDeclined: 0,
    outOfScopeReply: 0,
    wrong: 0,
  };
}

export function count(tally: Tally, label: LabelledQuestion, verdict: Verdict): void {
  tally.questions++;
  if (verdict === 'wrong') tally.wrong++;
  if (Array.isArray(label.expect)) {
    tally.covered++;
    if (verdict === 'right') tally.coveredRight++;
  } else if (label.expect === 'decline') {
    tally.uncovered++;
    if (verdict !== 'wrong') tally.uncoveredDeclined++;
  } else {
    tally.outOfScope++;
    if (verdict !== 'wrong') tally.outOfScopeDeclined++;
    if (verdict === 'out-of-scope') tally.outOfScopeReply++;
  }
}
