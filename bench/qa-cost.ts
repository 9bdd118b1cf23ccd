import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { answerQuestion } from '../src/advisor/qa.js';
import type { Knowledge } from '../src/knowledge/knowledge.js';
import { syntheticKnowledge } from './synthetic-knowledge.js';

/** What one store size costs: building its index, and answering. */
export interface CostRow {
  entries: number;
  /** Distinct words the analyzer's typo dictionary and the index hold (how much the store really grew). */
  vocabulary: number;
  /** Median over the builds, the word list already read. */
  buildMs: number;
  /** Each question once on a freshly built index: nothing cached yet, as a new question finds it. */
  fresh: number[];
  /** Every question again, several rounds: caches warm, as repeated words find it. */
  repeated: number[];
}

export function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Times Q&A on today's knowledge and on synthetic stores of the given sizes (`syntheticKnowledge`): the index
 * build (median of `builds`), and every question answered first on a fresh index, then for `repeatQueries`
 * more queries or at least one more round.
 */
export function measureCost(
  knowledge: Knowledge,
  questions: readonly string[],
  sizes: readonly number[],
  options: { builds?: number; repeatQueries?: number } = {},
): CostRow[] {
  const builds = options.builds ?? 3;
  const repeatQueries = options.repeatQueries ?? 10_000;
  return [knowledge.entries.length, ...sizes].map((size) => {
    const store = syntheticKnowledge(knowledge, size);
    const buildTimes: number[] = [];
    let index: KnowledgeIndex | undefined;
    for (let build = 0; build < builds; build++) {
      const started = performance.now();
      index = new KnowledgeIndex(store);
      buildTimes.push(performance.now() - started);
    }
    if (!index) throw new Error('no build');
    const time = (q: string) => {
      const started = performance.now();
      answerQuestion(index, store, q);
      return performance.now() - started;
    };
    const fresh = questions.map(time);
    const repeated: number[] = [];
    const rounds = Math.max(1, Math.ceil(repeatQueries / questions.length));
    for (let round = 0; round < rounds; round++) for (const q of questions) repeated.push(time(q));
    const vocabulary = new Set(
      store.entries.flatMap((entry) =>
        [entry.title, entry.body, ...entry.questions, ...entry.keywords]
          .join(' ')
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean),
      ),
    ).size;
    return {
      entries: store.entries.length,
      vocabulary,
      buildMs: percentile(buildTimes, 50),
      fresh,
      repeated,
    };
  });
}

/** The table `npm run bench:qa` prints: figures per size and their ratios to today's store. */
export function formatCost(rows: readonly CostRow[]): string[] {
  const ms = (value: number) => `${value.toFixed(3)} ms`.padStart(10);
  const figures = (row: CostRow) => [
    row.buildMs,
    percentile(row.fresh, 50),
    percentile(row.fresh, 99),
    percentile(row.repeated, 50),
    percentile(row.repeated, 99),
  ];
  const lines = [
    `  ${'entries'.padStart(7)} ${'words'.padStart(7)} ${'index build'.padStart(12)}  ${'new questions p50'.padStart(18)} ${'p99'.padStart(10)}  ${'repeated p50'.padStart(13)} ${'p99'.padStart(10)}`,
  ];
  for (const row of rows) {
    const [build = 0, ...query] = figures(row);
    lines.push(
      `  ${row.entries.toLocaleString('en').padStart(7)} ${row.vocabulary.toLocaleString('en').padStart(7)} ${`${build.toFixed(0)} ms`.padStart(12)}  ${ms(query[0] ?? 0).padStart(18)} ${ms(query[1] ?? 0)}  ${ms(query[2] ?? 0).padStart(13)} ${ms(query[3] ?? 0)}`,
    );
  }
  const [today, ...larger] = rows;
  if (!today) return lines;
  const base = figures(today);
  for (const row of larger) {
    const ratios = figures(row).map((value, i) => `${(value / (base[i] || 1)).toFixed(1)}×`);
    const [build = '', ...query] = ratios;
    lines.push(
      `  ${`${row.entries.toLocaleString('en')}/${today.entries}`.padStart(15)} ${build.padStart(12)}  ${(query[0] ?? '').padStart(18)} ${(query[1] ?? '').padStart(10)}  ${(query[2] ?? '').padStart(13)} ${(query[3] ?? '').padStart(10)}`,
    );
  }
  return lines;
}
