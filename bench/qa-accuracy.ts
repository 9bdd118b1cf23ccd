import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { answerQuestion } from '../src/advisor/qa.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';

/** `npm run bench:qa`: accuracy of Q&A on the labelled questions, and query time. Prints figures; asserts nothing. */
interface Labelled {
  q: string;
  expect: string[] | 'unknown';
}

const verbose = process.argv.includes('--verbose');
const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const index = new KnowledgeIndex(knowledge);
const fixture = JSON.parse(
  await readFile(path.join(projectRoot, 'tests', 'fixtures', 'qa-questions.json'), 'utf8'),
) as {
  questions: Labelled[];
};

let onTopic = 0;
let top1 = 0;
let top3 = 0;
let answeredOnTopic = 0;
let offTopic = 0;
let falseAnswers = 0;
const misses: string[] = [];
for (const { q, expect } of fixture.questions) {
  const outcome = answerQuestion(index, knowledge, q);
  const shown = outcome.kind === 'answer' ? outcome.entries.map((e) => e.id) : [];
  if (expect === 'unknown') {
    offTopic++;
    if (outcome.kind === 'answer') {
      falseAnswers++;
      misses.push(`FALSE ANSWER  "${q}" → ${shown.join(', ')}`);
    }
    continue;
  }
  onTopic++;
  const ranked = index.query(q).matches.map((m) => m.entry.id);
  if (outcome.kind === 'answer') {
    answeredOnTopic++;
    if (expect.includes(shown[0] ?? '')) top1++;
    else misses.push(`WRONG  "${q}" → ${shown.join(', ')} (want ${expect.join(' | ')})`);
  } else
    misses.push(`NO ANSWER  "${q}" (want ${expect.join(' | ')}; ranked ${ranked.slice(0, 3).join(', ')})`);
  if (outcome.kind === 'answer' && ranked.slice(0, 3).some((id) => expect.includes(id))) top3++;
}

// Query time over many repetitions of the whole question set.
const timings: number[] = [];
for (let round = 0; round < 50; round++) {
  for (const { q } of fixture.questions) {
    const started = performance.now();
    answerQuestion(index, knowledge, q);
    timings.push(performance.now() - started);
  }
}
timings.sort((a, b) => a - b);
const percentile = (p: number) =>
  timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))] ?? 0;
const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;

console.log(
  `Q&A benchmark: ${fixture.questions.length} labelled questions, ${knowledge.entries.length} entries`,
);
console.log(`  on-topic questions:        ${onTopic}`);
console.log(`  top-1 accuracy:            ${pct(top1, onTopic)} (${top1}/${onTopic})`);
console.log(`  top-3 accuracy:            ${pct(top3, onTopic)} (${top3}/${onTopic})`);
console.log(`  answered (not "unknown"):  ${pct(answeredOnTopic, onTopic)}`);
console.log(`  off-topic questions:       ${offTopic}`);
console.log(`  off-topic false answers:   ${pct(falseAnswers, offTopic)} (${falseAnswers}/${offTopic})`);
console.log(
  `  query time p50 / p99:      ${percentile(50).toFixed(3)} ms / ${percentile(99).toFixed(3)} ms (${timings.length} queries)`,
);
if (verbose || misses.length <= 20) for (const miss of misses) console.log(`  ${miss}`);
else console.log(`  (${misses.length} misses; run with --verbose to list them)`);
