import { feedbackReasonLabel } from './feedback.js';

/**
 * What the knowledge curators look at, from the Q&A log: the unanswered questions (most recent, most frequent) and
 * the feedback per knowledge entry with the reasons given. Shared by the curators' report (`npm run report`) and
 * the curators' part of the Home tab. The log's shape is described here by what is read of it, so the domain
 * needs no store.
 */
export interface QaLogSnapshot {
  answers: Record<
    string,
    { teamId: string; entryIds: readonly string[]; votes: Record<string, { vote: string; reason?: string }> }
  >;
  unanswered: readonly { teamId: string; question: string; at: string }[];
}

export interface EntryFeedback {
  entryId: string;
  /** Answers that showed the entry. */
  shown: number;
  helpful: number;
  notHelpful: number;
  /** The reasons given with "Not helpful" votes, as people read them, most given first. */
  reasons: { label: string; count: number }[];
}

export interface CuratorSummary {
  unansweredCount: number;
  answerCount: number;
  /** Newest first, at most `limit`. */
  recent: { question: string; at: string }[];
  /** The same question asked again (ignoring case, punctuation and spacing) counts once; most asked first. */
  frequent: { question: string; count: number }[];
  /** Every entry shown: most "not helpful" votes first, then most shown. */
  entries: EntryFeedback[];
}

/** Groups questions written alike: letters and digits of any script, lower case, single spaces. */
function questionKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The summary of a Q&A log; with `teamId`, of that workspace's questions and answers only. */
export function summarizeForCurators(
  data: QaLogSnapshot,
  options: { limit?: number; teamId?: string } = {},
): CuratorSummary {
  const limit = options.limit ?? 15;
  const inScope = ({ teamId }: { teamId: string }) =>
    options.teamId === undefined || teamId === options.teamId;
  const unanswered = data.unanswered.filter(inScope);
  const counts = new Map<string, { question: string; count: number }>();
  for (const { question } of unanswered) {
    const key = questionKey(question);
    const group = counts.get(key) ?? { question, count: 0 };
    group.count++;
    counts.set(key, group);
  }
  const perEntry = new Map<string, EntryFeedback & { byReason: Map<string, number> }>();
  const answers = Object.values(data.answers).filter(inScope);
  for (const answer of answers) {
    for (const entryId of answer.entryIds) {
      const stats = perEntry.get(entryId) ?? {
        entryId,
        shown: 0,
        helpful: 0,
        notHelpful: 0,
        reasons: [],
        byReason: new Map<string, number>(),
      };
      stats.shown++;
      for (const vote of Object.values(answer.votes)) {
        if (vote.vote === 'helpful') stats.helpful++;
        else stats.notHelpful++;
        if (vote.reason) {
          const label = feedbackReasonLabel(vote.reason);
          stats.byReason.set(label, (stats.byReason.get(label) ?? 0) + 1);
        }
      }
      perEntry.set(entryId, stats);
    }
  }
  const entries = [...perEntry.values()]
    .map(({ byReason, ...stats }) => ({
      ...stats,
      // Most given first; a tie keeps the order the reasons first came in.
      reasons: [...byReason.entries()]
        .map(([label, count]) => ({ label, count }))
        .sort((a, b) => b.count - a.count),
    }))
    .sort((a, b) => b.notHelpful - a.notHelpful || b.shown - a.shown);
  return {
    unansweredCount: unanswered.length,
    answerCount: answers.length,
    recent: unanswered
      .slice(-limit)
      .reverse()
      .map(({ question, at }) => ({ question, at })),
    frequent: [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit),
    entries,
  };
}

/** "didn't answer my question 2, out of date 1": the reasons of an entry in one line ('' when none). */
export function reasonsLine(entry: EntryFeedback): string {
  return entry.reasons.map(({ label, count }) => `${label} ${count}`).join(', ');
}
