import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { answerQuestion, type QaOutcome } from '../src/advisor/qa.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { type Block, renderMessage } from '../src/local/render-blocks.js';
import { projectRoot } from '../src/paths.js';
import { buildQaReplyView } from '../src/views/answer-view.js';
import { formatCost, measureCost, percentile } from './qa-cost.js';
import {
  count,
  emptyTally,
  judge,
  type LabelledQuestion,
  presentedEntries,
  type Tally,
} from './qa-scoring.js';
import { findRealQuestions, readQaSets, readRealQuestions } from './qa-sets.js';

/**
 * `npm run bench:qa`: how Q&A does on the labelled questions (the tuning set, the check set that is never tuned
 * against, and the short basics), on real posted questions when a copy is found, and how long a query takes.
 * Prints figures; asserts nothing. `--verbose` lists every miss (tuning and basics only: the check set's
 * questions are never printed, so nobody tunes against them); `--real` lists every real question's outcome.
 */
const verbose = process.argv.includes('--verbose');
const listReal = process.argv.includes('--real');
/** `--cost`: only the query time and the cost as the knowledge grows (no accuracy tables). */
const costOnly = process.argv.includes('--cost');
/** `--dump <file>`: every reply as a person would read it, one JSON line per question, for a human judge. */
const dumpIndex = process.argv.indexOf('--dump');
const dumpFile = dumpIndex >= 0 ? process.argv[dumpIndex + 1] : undefined;
const dumped: string[] = [];

function dump(set: string, q: string, topic: string, outcome: QaOutcome): void {
  if (!dumpFile) return;
  const message = buildQaReplyView(knowledge, outcome, 'bench');
  // What Slack would show: the same rendering as local mode (its blocks are the JSON the Web API receives).
  const posted = JSON.parse(JSON.stringify(message)) as { text: string; blocks: Block[] };
  const { lines } = renderMessage(posted, { width: 110, color: false, names: { users: {}, channels: {} } });
  dumped.push(JSON.stringify({ set, topic, q, reply: lines.join('\n') }));
}

const loadStarted = performance.now();
const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const loadMs = performance.now() - loadStarted;
const indexStarted = performance.now();
const index = new KnowledgeIndex(knowledge);
const indexMs = performance.now() - indexStarted;

const pct = (n: number, d: number) => (d === 0 ? '    –' : `${((100 * n) / d).toFixed(1).padStart(5)} %`);

function describe(outcome: QaOutcome): string {
  if (outcome.kind === 'answer') {
    const missing = outcome.parts.filter((part) => part.kind !== 'answered').length;
    return `answer ${presentedEntries(outcome).join(' + ')}${missing ? ` (+${missing} part(s) named as not covered)` : ''}`;
  }
  if (outcome.kind === 'partial') return `partial ("can't answer directly") via ${outcome.entry.id}`;
  if (outcome.kind === 'unknown')
    return `decline${outcome.titles.length ? ` (titles: ${outcome.titles.map((t) => t.id).join(', ')})` : ''}`;
  if (outcome.kind === 'out-of-scope') return `out of scope (${outcome.reason})`;
  return 'empty';
}

function printTable(name: string, questions: LabelledQuestion[], showMisses: boolean): Tally {
  const byTopic = new Map<string, Tally>();
  const overall = emptyTally();
  const misses: string[] = [];
  for (const label of questions) {
    const outcome = answerQuestion(index, knowledge, label.q);
    dump(name, label.q, label.topic, outcome);
    const verdict = judge(label, outcome);
    count(overall, label, verdict);
    const tally = byTopic.get(label.topic) ?? emptyTally();
    count(tally, label, verdict);
    byTopic.set(label.topic, tally);
    const missed =
      verdict === 'wrong' ||
      (Array.isArray(label.expect) && verdict !== 'right') ||
      (label.expect === 'out-of-scope' && verdict !== 'out-of-scope');
    if (missed) {
      const want = Array.isArray(label.expect) ? label.expect.join(' | ') : label.expect;
      misses.push(
        `${verdict.toUpperCase().padEnd(12)} [${label.topic}] "${label.q.slice(0, 160)}" → ${describe(outcome)} (want ${want})`,
      );
    }
  }
  console.log(`\n${name}: ${questions.length} questions`);
  console.log(
    `  ${'topic'.padEnd(22)} ${'n'.padStart(4)}  ${'covered→right'.padStart(14)}  ${'wrong'.padStart(8)}  ${'honest decline'.padStart(15)}  ${'out of scope declined'.padStart(22)}`,
  );
  const row = (topic: string, t: Tally) =>
    console.log(
      `  ${topic.padEnd(22)} ${String(t.questions).padStart(4)}  ${pct(t.coveredRight, t.covered).padStart(9)} (${String(t.covered).padStart(3)})  ${pct(t.wrong, t.questions)}  ${pct(t.uncoveredDeclined, t.uncovered).padStart(9)} (${String(t.uncovered).padStart(3)})  ${pct(t.outOfScopeDeclined, t.outOfScope).padStart(9)} (${String(t.outOfScope).padStart(3)}) [${t.outOfScopeReply} as such]`,
    );
  for (const [topic, tally] of [...byTopic].sort(([a], [b]) => a.localeCompare(b))) row(topic, tally);
  row('OVERALL', overall);
  if (showMisses) {
    if (verbose || misses.length <= 15) for (const miss of misses) console.log(`    ${miss}`);
    else console.log(`  (${misses.length} misses; run with --verbose to list them)`);
  }
  return overall;
}

// The tuning set is every qa-tuning*.json file; the check set every qa-check*.json file.
const { tuning, check, basics } = await readQaSets();
const realPath = findRealQuestions();
const real = await readRealQuestions(realPath);
if (costOnly) {
  // Only the cost figures: one untimed pass first, so the timed ones meet compiled code, as after the tables.
  for (const { q } of [...tuning, ...check, ...basics, ...real]) answerQuestion(index, knowledge, q);
} else {
  console.log(
    `Q&A benchmark: ${knowledge.entries.length} entries; knowledge load ${loadMs.toFixed(0)} ms, index (word list included) ${indexMs.toFixed(0)} ms`,
  );
  console.log(
    '  covered→right: share of the questions the knowledge covers that got a right answer (count covered)',
  );
  console.log('  wrong: share of all questions answered with an entry that does not answer them');
  printTable('Tuning set (tuned against)', tuning, true);
  const checkTally = printTable('Check set (never tuned against; questions not printed)', check, false);
  printTable('Basics (short questions in the knowledge’s own words)', basics, true);
  console.log(
    `\nCheck set against the targets: wrong ${pct(checkTally.wrong, checkTally.questions)} (≤ 3 %), covered answered right ${pct(checkTally.coveredRight, checkTally.covered)} (≥ 90 %), out of scope declined ${pct(checkTally.outOfScopeDeclined, checkTally.outOfScope)} (100 %)`,
  );

  if (real.length > 0) {
    const kinds = new Map<string, Map<string, number>>();
    for (const { q, topic } of real) {
      const outcome = answerQuestion(index, knowledge, q);
      dump('real', q, topic, outcome);
      const kind = outcome.kind === 'unknown' ? 'decline' : outcome.kind;
      const perTopic = kinds.get(topic) ?? new Map<string, number>();
      perTopic.set(kind, (perTopic.get(kind) ?? 0) + 1);
      kinds.set(topic, perTopic);
      if (listReal)
        console.log(`  [${topic}] ${q.slice(0, 140).replace(/\s+/g, ' ')}\n      → ${describe(outcome)}`);
    }
    console.log(
      `\nReal posted questions (${real.length}, unlabelled: judge the answers by reading them, --real):`,
    );
    const all = new Map<string, number>();
    for (const [topic, perTopic] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
      const parts = [...perTopic].map(([kind, n]) => `${kind} ${n}`).join(', ');
      console.log(`  ${topic.padEnd(22)} ${parts}`);
      for (const [kind, n] of perTopic) all.set(kind, (all.get(kind) ?? 0) + n);
    }
    console.log(`  ${'OVERALL'.padEnd(22)} ${[...all].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  } else console.log('\nReal posted questions: none found (set QA_REAL_QUESTIONS to a .jsonl file)');

  if (dumpFile) {
    await writeFile(dumpFile, `${dumped.join('\n')}\n`);
    console.log(`\nReplies written to ${dumpFile}`);
  }
}

// Query time over many repetitions of every question, side by side with an anchor measured in the same rounds:
// the full-text lookup alone (analysis plus BM25 search, what the app did before matching checked the fit).
const answerTimes: number[] = [];
const lookupTimes: number[] = [];
const everything = [...tuning, ...check, ...basics, ...real].map((question) => question.q);
for (let round = 0; round < 20; round++) {
  for (const q of everything) {
    let started = performance.now();
    index.candidates(index.frame(q), 12);
    lookupTimes.push(performance.now() - started);
    started = performance.now();
    answerQuestion(index, knowledge, q);
    answerTimes.push(performance.now() - started);
  }
}
const row = (name: string, times: number[]) =>
  `  ${name.padEnd(34)} p50 ${percentile(times, 50).toFixed(3)} ms · p99 ${percentile(times, 99).toFixed(3)} ms`;
console.log(`\nQuery time (${answerTimes.length} queries each, interleaved; target p99 ≤ 2 ms):`);
console.log(row('answer (split, match, fit)', answerTimes));
console.log(row('anchor: full-text lookup alone', lookupTimes));
console.log(
  `  ratio answer / lookup: p50 ${(percentile(answerTimes, 50) / percentile(lookupTimes, 50)).toFixed(2)}× · p99 ${(percentile(answerTimes, 99) / percentile(lookupTimes, 99)).toFixed(2)}×`,
);

// The same questions on larger stores made from today's (bench/synthetic-knowledge.ts: copies of the real entries
// with new ids and a third of their words swapped, three new words coined per copy), so the cost of growth shows.
const SIZES = [1_000, 5_000];
console.log(
  `\nQuery cost as the knowledge grows (${everything.length} questions; synthetic stores of ${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} entries made from today's ${knowledge.entries.length}; target p99 ≤ 2 ms at 1,000, flat as it grows):`,
);
console.log(
  '  new questions: each once on a fresh index (nothing cached); repeated: 10,000 more (caches warm); index build: median of 3',
);
const cost = measureCost(knowledge, everything, SIZES);
console.log('  by the clock:');
for (const line of formatCost(cost, 'wall')) console.log(line);
console.log('  in CPU time of the process (what other load on the machine hardly moves):');
for (const line of formatCost(cost, 'cpu')) console.log(line);
