import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { answerQuestion } from '../src/advisor/qa.js';
import type { Knowledge } from '../src/knowledge/knowledge.js';
import { syntheticKnowledge } from './synthetic-knowledge.js';

/** Times in milliseconds, by the clock and as CPU time of the process (which other load on the machine hardly moves). */
export interface Times {
  wall: number[];
  cpu: number[];
}

/** What one store size costs: building its index, and answering. */
export interface CostRow {
  entries: number;
  /** Distinct words of the entries' texts (how much the store really grew). */
  vocabulary: number;
  /** Every build, the word list already read: the median is shown. */
  build: Times;
  /** Each question once on a freshly built index: nothing cached yet, as a new question finds it. */
  fresh: Times;
  /** Every question again, several rounds: caches warm, as repeated words find it. */
  repeated: Times;
}

function timed(times: Times, work: () => void): void {
  const cpu = process.cpuUsage();
  const started = performance.now();
  work();
  times.wall.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  times.cpu.push((used.user + used.system) / 1000);
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
    const build: Times = { wall: [], cpu: [] };
    let index: KnowledgeIndex | undefined;
    for (let round = 0; round < builds; round++) {
      timed(build, () => {
        index = new KnowledgeIndex(store);
      });
    }
    const built = index;
    if (!built) throw new Error('no build');
    // The builds' garbage is collected now (with --expose-gc, as npm run bench:qa runs it), not during the first
    // questions: in the app the index is built at start-up, long before anyone asks.
    (globalThis as { gc?: () => void }).gc?.();
    const fresh: Times = { wall: [], cpu: [] };
    for (const q of questions) timed(fresh, () => answerQuestion(built, store, q));
    const repeated: Times = { wall: [], cpu: [] };
    const rounds = Math.max(1, Math.ceil(repeatQueries / questions.length));
    for (let round = 0; round < rounds; round++) {
      for (const q of questions) timed(repeated, () => answerQuestion(built, store, q));
    }
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
      build,
      fresh,
      repeated,
    };
  });
}

/** The table `npm run bench:qa` prints, by the clock or in CPU time: figures per size and ratios to today's. */
export function formatCost(rows: readonly CostRow[], clock: keyof Times): string[] {
  const figures = (row: CostRow) => [
    percentile(row.build[clock], 50),
    percentile(row.fresh[clock], 50),
    percentile(row.fresh[clock], 99),
    percentile(row.repeated[clock], 50),
    percentile(row.repeated[clock], 99),
  ];
  const widths = [12, 18, 10, 14, 10];
  const line = (first: string, cells: string[]) =>
    `  ${first.padStart(15)} ${cells.map((cell, i) => cell.padStart(widths[i] ?? 10)).join(' ')}`;
  const lines = [line('entries (words)', ['index build', 'new questions p50', 'p99', 'repeated p50', 'p99'])];
  for (const row of rows) {
    const [build = 0, ...query] = figures(row);
    lines.push(
      line(`${row.entries.toLocaleString('en')} (${row.vocabulary.toLocaleString('en')})`, [
        `${build.toFixed(0)} ms`,
        ...query.map((value) => `${value.toFixed(3)} ms`),
      ]),
    );
  }
  const [today, ...larger] = rows;
  if (!today) return lines;
  const base = figures(today);
  for (const row of larger) {
    const ratios = figures(row).map((value, i) => `${(value / (base[i] || 1)).toFixed(1)}×`);
    lines.push(line(`${row.entries.toLocaleString('en')}/${today.entries}`, ratios));
  }
  return lines;
}
