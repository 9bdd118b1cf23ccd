import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LogLevel } from '@slack/bolt';
import { parseCompareRequest } from '../src/advisor/compare-request.js';
import { detectChannelCommand, routeDirectMessage } from '../src/advisor/dm-intents.js';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { matchTypedOption, parseQuestionnaireControl } from '../src/advisor/typed-answer.js';
import { createLogger } from '../src/app.js';
import type { Deps } from '../src/deps.js';
import { AgentSurface } from '../src/flows/agent-surface.js';
import { KeyedLock } from '../src/flows/keyed-lock.js';
import { replyToQuestion } from '../src/flows/qa-reply.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';
import { capSlackText, SLACK_TEXT_LIMIT, slackToPlainText } from '../src/slack-text.js';
import { openDataStores } from '../src/store/data-stores.js';
import { buildCompareView } from '../src/views/compare-view.js';

/**
 * `npm run bench:text`: how the time a person's text costs grows with its length, for adversarial text (an
 * unclosed "<", "<<<<…", long runs of &, *, _, ~, backticks, spaces, mixed). Each input goes through the whole
 * path a DM takes (Slack text → plain text → routing → the question's answer, built and recorded), the path of a
 * typed answer while a questionnaire is open, and /pm-compare's, at 4,000 and at 40,000 characters (Slack's
 * limit), and at 1,000,000 (more than Slack sends: cut to 40,000 first). Prints the median time of each and the
 * ratio 40,000 / 4,000: linear work gives about 10× (less where the question analysis reads only its first
 * 2,000 characters); super-linear work about 100×. Figures only, never a pass/fail.
 */
const SMALL = 4_000;
const LARGE = SLACK_TEXT_LIMIT;
const HUGE = 1_000_000;
/** Each figure is the median of as many runs as fit in this long (at least MIN_RUNS). */
const BUDGET_MS = Number(process.env.BENCH_TEXT_BUDGET_MS ?? 150);
const MIN_RUNS = 5;

const repeatTo = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Adversarial inputs, each as a function of its length. */
const INPUTS: { name: string; of: (length: number) => string }[] = [
  { name: 'unclosed "<" then letters', of: (n) => `<${'a'.repeat(n - 1)}` },
  { name: '"<<<<…"', of: (n) => '<'.repeat(n) },
  { name: '"<a|" repeated', of: (n) => repeatTo('<a|', n) },
  { name: '"&&&&…"', of: (n) => '&'.repeat(n) },
  { name: '"&amp;" repeated', of: (n) => repeatTo('&amp;', n) },
  { name: '"****…"', of: (n) => '*'.repeat(n) },
  { name: '"____…"', of: (n) => '_'.repeat(n) },
  { name: '"~~~~…"', of: (n) => '~'.repeat(n) },
  { name: 'backticks', of: (n) => '`'.repeat(n) },
  { name: 'spaces, then "x"', of: (n) => `${' '.repeat(n - 1)}x` },
  { name: '"----…"', of: (n) => '-'.repeat(n) },
  { name: 'mixed <&*_~` -,', of: (n) => repeatTo('<&*_~` -,', n) },
  { name: '"or and what " repeated', of: (n) => repeatTo('or and what ', n) },
  { name: 'one long word', of: (n) => 'a'.repeat(n) },
  { name: 'a real question repeated', of: (n) => repeatTo('what does an it pm do day to day? ', n) },
];

const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-text-'));
const logger = createLogger({ logLevel: LogLevel.ERROR });
const stores = await openDataStores(path.join(folder, 'db.json'), logger);
const deps: Deps = {
  knowledge,
  knowledgeIndex: Promise.resolve(new KnowledgeIndex(knowledge)),
  ...stores,
  personLock: new KeyedLock(),
  logger,
  now: () => new Date(),
  newId: randomUUID,
  questionnaireTtlMs: 24 * 60 * 60 * 1000,
  qaLogRetentionMs: 180 * 24 * 60 * 60 * 1000,
  agentSurface: new AgentSurface(logger),
};
const asker = { teamId: 'T0BENCH001', channelId: 'D0BENCH001', userId: 'U0BENCH001' };
const factor = knowledge.factors[0];
if (!factor) throw new Error('the knowledge has no questionnaire factors');

/** The paths a person's text takes, as the listeners and flows run them (without the Slack calls). */
const PATHS: { name: string; run: (raw: string) => Promise<unknown> }[] = [
  {
    // listeners/messages/direct-message.ts → flows/direct-message.ts, no questionnaire open.
    name: 'DM',
    run: async (raw) => {
      const text = slackToPlainText(raw);
      const route = routeDirectMessage(text, false);
      if (route === 'question') return replyToQuestion(deps, asker, text);
      if (route === 'control-without-questionnaire') return parseQuestionnaireControl(text);
      return route;
    },
  },
  {
    // A typed reply while a questionnaire is open (flows/questionnaire.ts handleTypedReply), or a question then.
    name: 'typed answer',
    run: async (raw) => {
      const text = slackToPlainText(raw);
      const route = routeDirectMessage(text, true);
      if (route === 'question-during-questionnaire') return replyToQuestion(deps, asker, text);
      return parseQuestionnaireControl(text) ?? matchTypedOption(factor, text);
    },
  },
  {
    // listeners/events/app-mention.ts → flows/mention.ts.
    name: 'mention',
    run: async (raw) => {
      const text = slackToPlainText(raw);
      return detectChannelCommand(text) ?? replyToQuestion(deps, asker, text);
    },
  },
  {
    // listeners/commands/pm-compare.ts: parsed and answered in the ack.
    name: '/pm-compare',
    run: async (raw) => buildCompareView(knowledge, parseCompareRequest(capSlackText(raw), knowledge)),
  },
];

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  for (let warm = 0; warm < 2; warm++) await run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < MIN_RUNS || performance.now() - started < BUDGET_MS) {
    const at = performance.now();
    await run();
    times.push(performance.now() - at);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const fmt = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const pad = (text: string, width: number) => text.padStart(width);

console.log(
  `bench:text: median ms per input through each path, at ${SMALL.toLocaleString('en')} → ` +
    `${LARGE.toLocaleString('en')} characters (ratio; linear ≈ 10×, quadratic ≈ 100×), and at ` +
    `${HUGE.toLocaleString('en')} (cut to ${LARGE.toLocaleString('en')} before anything reads it)`,
);
console.log(`${'input'.padEnd(26)}${PATHS.map((p) => pad(p.name, 27)).join('')}`);
let worst = { ratio: 0, where: '' };
for (const input of INPUTS) {
  const cells: string[] = [];
  const [small, large, huge] = [input.of(SMALL), input.of(LARGE), input.of(HUGE)];
  for (const route of PATHS) {
    const smallMs = await medianMs(() => route.run(small));
    const largeMs = await medianMs(() => route.run(large));
    const hugeMs = route.name === 'DM' ? await medianMs(() => route.run(huge)) : undefined;
    const ratio = largeMs / smallMs;
    if (ratio > worst.ratio) worst = { ratio, where: `${input.name}, ${route.name}` };
    cells.push(
      pad(
        `${fmt(smallMs)} → ${fmt(largeMs)} (${ratio.toFixed(1)}×)${hugeMs === undefined ? '' : ` 1M ${fmt(hugeMs)}`}`,
        27,
      ),
    );
  }
  console.log(`${input.name.padEnd(26)}${cells.join('')}`);
}
console.log(`largest ratio: ${worst.ratio.toFixed(1)}× (${worst.where})`);
await stores.qaLog.flush();
await rm(folder, { recursive: true, force: true });
