import type { Dimension, Entry, Knowledge } from '../knowledge/knowledge.js';
import type { EntryMatch, KnowledgeIndex } from './knowledge-index.js';

/** How sure retrieval must be before something is presented as an answer. Tuned with `npm run bench:qa`. */
export const ANSWER_THRESHOLDS = {
  /** The best entry must match at least this share of the question's (rarity-weighted) terms… */
  minCoverage: 0.15,
  /** …with at least this BM25+ score, */
  minScore: 40,
  /** or match nearly all of a short question with at least this score. */
  fullCoverage: 0.9,
  minScoreAtFullCoverage: 30,
  /** A second entry is shown too when it answers another part of the question and scores at least this share of the best. */
  secondScoreRatio: 0.5,
  maxRelated: 3,
} as const;

export type QaOutcome =
  | {
      kind: 'answer';
      question: string;
      entries: Entry[];
      related: Entry[];
      /** The comparison dimension that covers the topic, for a pointer to `/pm-compare <dimension>`. */
      dimension?: Dimension;
    }
  | { kind: 'unknown'; question: string; closest: Entry[] }
  | { kind: 'empty' };

/**
 * Whether a match is good enough to present as an answer. A match on a single term is not, when words no entry
 * uses outweigh it: the question is about something else that merely shares one word with a topic ("the price
 * of bitcoin" is not about pricing a product). Two or more matched terms are evidence enough.
 */
function isConfident(match: EntryMatch | undefined, unknownShare: number): match is EntryMatch {
  if (!match) return false;
  if (match.matchedTerms.length === 1 && match.coverage < unknownShare) return false;
  const { minCoverage, minScore, fullCoverage, minScoreAtFullCoverage } = ANSWER_THRESHOLDS;
  return (
    (match.coverage >= minCoverage && match.score >= minScore) ||
    (match.coverage >= fullCoverage && match.score >= minScoreAtFullCoverage)
  );
}

/** Answers a question from the knowledge store, or says honestly that it cannot. Slack-free. */
export function answerQuestion(index: KnowledgeIndex, knowledge: Knowledge, question: string): QaOutcome {
  const { terms, matches, unknownShare } = index.query(question);
  if (terms.length === 0) return { kind: 'empty' };
  const [best, ...rest] = matches;
  if (!isConfident(best, unknownShare)) {
    return {
      kind: 'unknown',
      question,
      closest: matches.slice(0, ANSWER_THRESHOLDS.maxRelated).map((m) => m.entry),
    };
  }

  const entries = [best.entry];
  const second = rest.find(
    (match) =>
      isConfident(match, unknownShare) &&
      match.score >= best.score * ANSWER_THRESHOLDS.secondScoreRatio &&
      match.matchedTerms.some((term) => !best.matchedTerms.includes(term)),
  );
  if (second) entries.push(second.entry);

  const shown = new Set(entries.map((entry) => entry.id));
  const relatedIds = [...entries.flatMap((entry) => entry.related), ...rest.map((match) => match.entry.id)];
  const related: Entry[] = [];
  for (const id of relatedIds) {
    const entry = knowledge.entriesById.get(id);
    if (!entry || shown.has(id)) continue;
    shown.add(id);
    related.push(entry);
    if (related.length === ANSWER_THRESHOLDS.maxRelated) break;
  }
  const dimensionId = entries.find((entry) => entry.dimension)?.dimension;
  return {
    kind: 'answer',
    question,
    entries,
    related,
    dimension: dimensionId ? knowledge.dimensionsById.get(dimensionId) : undefined,
  };
}
