import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { analyseQuestion, answerQuestion } from '../src/advisor/qa.js';
import type { Deps } from '../src/deps.js';
import { QUESTION_ANALYSIS_LIMIT, replyToQuestion } from '../src/flows/qa-reply.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';
import type { QaLog } from '../src/store/qa-log.js';
import { readQaSets, readRealQuestions, type SourcedQuestion } from './qa-sets.js';
import { syntheticKnowledge } from './synthetic-knowledge.js';

/**
 * `node dist/bench/qa-answers-snapshot.js --out <file> [--sizes 1000,5000]`: what Q&A answers to every labelled
 * question (tests/fixtures/qa-*.json, and the real questions when a copy is found), through the app's own entry
 * point (`replyToQuestion`, as a DM or mention reaches it), one JSON line per question: the outcome (entry ids in
 * order, parts, related, closest, titles), what was logged as answered or unanswered, the whole reply (text
 * and blocks), and how the matcher read it (each part's terms, and every candidate's anchor, explained, subject
 * fit and full-text score, exact to the last bit). By default on today's knowledge and on the synthetic stores of 1,000 and 5,000 entries that
 * `npm run bench:qa` times (`--sizes` picks others; 0 is today's).
 *
 * For changes that must not change behaviour: write it before the change, outside the repository, and diff it
 * after. It holds the check set's questions: never commit it, never print it.
 */
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const out = arg('--out');
if (!out) {
  console.error('usage: qa-answers-snapshot --out <file outside the repository> [--sizes 0,1000,5000]');
  process.exit(2);
}
const sizes = (arg('--sizes') ?? '0,1000,5000').split(',').map(Number);

const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const { sourced } = await readQaSets();
const real = await readRealQuestions();
const questions: SourcedQuestion[] = [
  ...sourced,
  ...real.map(({ q, topic }, position) => ({ file: 'real-questions-dev.jsonl', position, q, topic })),
];

/** Knowledge objects (entries, titles, dimensions) by id: the snapshot says which, the reply says what. */
const byId = (_key: string, value: unknown) =>
  value &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  typeof (value as { id?: unknown }).id === 'string'
    ? `#${(value as { id: string }).id}`
    : value;

const lines: string[] = [];
let total = 0;
for (const size of sizes) {
  const store = size > 0 ? syntheticKnowledge(knowledge, size) : knowledge;
  const index = new KnowledgeIndex(store);
  let logged: unknown[] = [];
  const qaLog: Pick<QaLog, 'logAnswer' | 'logUnanswered'> = {
    logAnswer: async (answer) => {
      logged.push({ answer });
      return 'snapshot-answer';
    },
    logUnanswered: async (question) => {
      logged.push({ unanswered: question });
    },
  };
  // Only what replyToQuestion uses; the rest of Deps is never reached.
  const deps = { knowledge: store, knowledgeIndex: index, qaLog } as unknown as Deps;
  const asker = { teamId: 'T0SNAPSHOT', channelId: 'D0SNAPSHOT', userId: 'U0SNAPSHOT' };
  for (const { file, position, q } of questions) {
    logged = [];
    const reply = await replyToQuestion(deps, asker, q);
    // The outcome itself, as replyToQuestion computed it (the same cut and spacing of the question).
    const question = q.slice(0, QUESTION_ANALYSIS_LIMIT).replace(/\s+/g, ' ').trim();
    const outcome = answerQuestion(index, store, question);
    // How it read the question and every candidate's figures, so a change in them shows before it changes an answer.
    const parts = analyseQuestion(index, question).parts.map(({ part, frame, fits }) => ({
      part,
      frame: {
        ...frame,
        roles: [...frame.roles],
        subjects: [...frame.subjects],
        aside: [...(frame.aside ?? [])],
      },
      fits: fits.map((fit) => [
        fit.entry.id,
        fit.anchor,
        fit.explained,
        fit.subjectFits,
        fit.statedKind,
        fit.score,
      ]),
    }));
    lines.push(
      JSON.stringify(
        { entries: store.entries.length, file, position, q, outcome, logged, reply, parts },
        byId,
      ),
    );
    total++;
  }
  console.log(`${store.entries.length} entries: ${questions.length} questions`);
}
await writeFile(out, `${lines.join('\n')}\n`);
console.log(`${total} answers written to ${out}`);
