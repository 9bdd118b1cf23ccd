import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LogLevel } from '@slack/bolt';
import { personKey } from '../src/advisor/person.js';
import { createApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';
import { openDataStores } from '../src/store/data-stores.js';
import { QuestionnaireFiles } from '../src/store/questionnaire-store.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';
import type { RunReport, RunRequest } from './questionnaire-load-worker.js';

/**
 * `npm run bench:questionnaire`: the questionnaire under load, through the real HTTP receiver.
 * 10,000 people already stored; 200 questionnaires answer all their questions concurrently.
 * Prints answers/s, p50/p99 click handling, the worst event-loop block, time to disk, and write time vs size.
 */
const SECRET = 'bench-signing-secret';
const TEAM = BENCH_WORKSPACE.teamId;
const STORED_USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 200);

const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Fills a data folder with `count` people who each have a past result (and every tenth a questionnaire). */
async function populate(dataFile: string, count: number): Promise<QuestionnaireFiles> {
  const users = await QuestionnaireFiles.open(dataFile, console);
  const answers = Object.fromEntries(
    knowledge.factors.map((factor) => [factor.id, factor.options[0]?.id ?? '']),
  );
  for (let index = 0; index < count; index++) {
    const key = personKey({ teamId: TEAM, userId: `U0STORED${index}` });
    await users.finish(key, {
      id: randomUUID(),
      at: new Date().toISOString(),
      leanRoleId: 'it-pm',
      strength: 'clear',
      totals: { 'it-pm': 18, 'general-pm': 4 },
      answers,
    });
    if (index % 10 === 0) {
      await users.saveSession(key, {
        id: randomUUID(),
        teamId: TEAM,
        userId: `U0STORED${index}`,
        channelId: `D0STORED${index}`,
        factorIds: knowledge.factors.map((factor) => factor.id),
        answers: {},
        step: 0,
        questionTs: {},
        startedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
    }
  }
  await users.flush();
  return users;
}

// ---- 1. Write time as the stored population grows (the app's shards vs everything in one file each) ----
/** Median time to write one change: an answer (a questionnaire changed) and a finished result. */
async function writeTimes(count: number): Promise<{ answer: number; result: number; bytes: number }> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-bench-'));
  const dataFile = path.join(folder, 'db.json');
  const users = await populate(dataFile, count);
  const key = personKey({ teamId: TEAM, userId: 'U0STORED0' });
  const answerTimes: number[] = [];
  const resultTimes: number[] = [];
  for (let round = 0; round < 30; round++) {
    const session = await users.getSession(key);
    if (!session) throw new Error('no session');
    session.step = round % 7;
    await users.saveSession(key, session);
    let started = performance.now();
    await users.flush();
    answerTimes.push(performance.now() - started);
    const [result] = await users.results(key);
    if (!result) throw new Error('no result');
    await users.forget(key);
    await users.saveSession(key, session);
    await users.finish(key, result);
    await users.saveSession(key, session);
    await users.flush();
    await users.finish(key, result);
    await users.saveSession(key, session);
    started = performance.now();
    await users.flush();
    resultTimes.push(performance.now() - started);
  }
  const folderOfPeople = QuestionnaireFiles.folderFor(dataFile);
  const names = await readdir(folderOfPeople, { recursive: true, withFileTypes: true });
  let bytes = 0;
  for (const entry of names)
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  await rm(folder, { recursive: true, force: true });
  return { answer: percentile(answerTimes, 50), result: percentile(resultTimes, 50), bytes };
}

/**
 * Pins this process (every thread) to CPU 0 and returns the CPU list for the Slack side, when `taskset` exists
 * and there are at least 2 CPUs; otherwise both share the machine and the figures say so.
 */
function pinCpus(): { slackSide: string } | undefined {
  const cpus = availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return undefined;
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  if (pinned.status !== 0) return undefined;
  return { slackSide: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

console.log(
  'Write time of one change (median ms), by people stored (every tenth with a questionnaire in progress), one file per person:',
);
console.log('  people     answer / result   data size');
for (const count of process.env.BENCH_SKIP_WRITE_TIMES ? [] : [100, 1_000, 10_000]) {
  const times = await writeTimes(count);
  console.log(
    `  ${String(count).padStart(6)}   ${times.answer.toFixed(2).padStart(6)} / ${times.result.toFixed(2).padEnd(8)}   ${(times.bytes / 1e6).toFixed(2)} MB`,
  );
}

// ---- 2. Concurrent questionnaires through the HTTP receiver ----
// The Slack side (Web API stand-in and the people clicking) runs in its own process. Slack is another machine
// in real life, so where the OS allows it the app (with its GC and I/O threads) gets CPU 0 and Slack's side the
// other CPUs: neither can take the other's time, and the app is measured on one core.
const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-bench-'));
const dataFile = path.join(folder, 'db.json');
await populate(dataFile, STORED_USERS);

const pinning = pinCpus();
const workerScript = fileURLToPath(new URL('./questionnaire-load-worker.js', import.meta.url));
const worker = pinning
  ? spawn('taskset', ['-c', pinning.slackSide, process.execPath, ...process.execArgv, workerScript], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
  : spawn(process.execPath, [...process.execArgv, workerScript], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
const send = (message: RunRequest | { type: 'exit' }) => worker.send(message);
const apiPort = await new Promise<number>((resolve) =>
  worker.once('message', (message: { port: number }) => resolve(message.port)),
);
const config: Config = {
  mode: 'http',
  botToken: 'xoxb-bench',
  signingSecret: SECRET,
  port: 0,
  slackApiUrl: `http://127.0.0.1:${apiPort}/api/`,
  slackApiTimeoutMs: 10_000,
  slackApiRetries: 0,
  dataFile,
  knowledgeDir: path.join(projectRoot, 'knowledge'),
  logLevel: LogLevel.ERROR,
  shutdownTimeoutMs: 30_000,
  questionnaireTtlMs: 24 * 60 * 60 * 1000,
};
const stores = await openDataStores(dataFile, console);
let handled: number[] = [];
const advisor = createApp(config, {
  knowledge,
  ...stores,
  onHandled: (ms, requestType) => {
    if (requestType === 'block_actions') handled.push(ms);
  },
});
const { port } = await advisor.start();

/** Heap in use after a full collection when --expose-gc is on (the bench script turns it on), else as it is. */
function memory(): string {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return `heap used ${(usage.heapUsed / 1e6).toFixed(0)} MB, RSS ${(usage.rss / 1e6).toFixed(0)} MB`;
}
const memoryAtStart = memory();

interface RunStats {
  answers: number;
  elapsedSeconds: number;
  /** Click sent → next question received, measured by the Slack side. */
  slackSide: number[];
  /** In the app: request in → handler done, its 2 Slack calls included. */
  handled: number[];
  cpuMicros: { user: number; system: number };
  loopMaxMs: number;
  workerLoopP99: number;
  workerLoopMax: number;
  onDiskAfterMs: number;
}

async function run(prefix: string, thinkMs: [number, number], startSpreadMs: number): Promise<RunStats> {
  handled = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const request: RunRequest = {
    type: 'run',
    url: `http://127.0.0.1:${port}/slack/events`,
    secret: SECRET,
    prefix,
    people: CONVERSATIONS,
    thinkMs,
    startSpreadMs,
  };
  const cpuBefore = process.cpuUsage();
  send(request);
  const report = await new Promise<RunReport>((resolve) => worker.once('message', resolve));
  const doneAt = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();

  // Every acknowledged answer on disk: wait until every person's finished result is in the shard files.
  let onDiskAfterMs = Number.NaN;
  for (;;) {
    const missing = Array.from({ length: CONVERSATIONS }, (_, index) =>
      QuestionnaireFiles.personFileFor(
        dataFile,
        'results',
        personKey({ teamId: TEAM, userId: `U0${prefix}${index}` }),
      ),
    ).filter((file) => !existsSync(file));
    if (missing.length === 0) {
      onDiskAfterMs = performance.now() - doneAt;
      break;
    }
    if (performance.now() - doneAt > 10_000) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    answers: report.answers,
    elapsedSeconds: report.elapsedSeconds,
    slackSide: report.latencies,
    handled,
    cpuMicros: cpu,
    loopMaxMs: loop.max / 1e6,
    workerLoopP99: report.workerLoopDelayP99,
    workerLoopMax: report.workerLoopDelayMax,
    onDiskAfterMs,
  };
}

/** Several runs as one: all clicks pooled for the percentiles, the worst of the rest. */
function pooled(runs: RunStats[]): RunStats {
  const sum = (pick: (run: RunStats) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const max = (pick: (run: RunStats) => number) => Math.max(...runs.map(pick));
  return {
    answers: sum((run) => run.answers),
    elapsedSeconds: sum((run) => run.elapsedSeconds),
    slackSide: runs.flatMap((run) => run.slackSide),
    handled: runs.flatMap((run) => run.handled),
    cpuMicros: { user: sum((run) => run.cpuMicros.user), system: sum((run) => run.cpuMicros.system) },
    loopMaxMs: max((run) => run.loopMaxMs),
    workerLoopP99: max((run) => run.workerLoopP99),
    workerLoopMax: max((run) => run.workerLoopMax),
    onDiskAfterMs: max((run) => run.onDiskAfterMs),
  };
}

function row(label: string, run: RunStats): string {
  const cpuMs = (run.cpuMicros.user + run.cpuMicros.system) / 1000;
  const cells = [
    label.padEnd(10),
    `${(run.answers / run.elapsedSeconds).toFixed(0)}`.padStart(9),
    `${percentile(run.handled, 50).toFixed(1)} / ${percentile(run.handled, 99).toFixed(1)}`.padStart(13),
    `${percentile(run.slackSide, 50).toFixed(1)} / ${percentile(run.slackSide, 99).toFixed(1)}`.padStart(13),
    `${(cpuMs / run.answers).toFixed(2)} (${((cpuMs / 1000 / run.elapsedSeconds) * 100).toFixed(0)} %)`.padStart(
      12,
    ),
    `${run.loopMaxMs.toFixed(0)}`.padStart(8),
    `${run.workerLoopP99.toFixed(0)} / ${run.workerLoopMax.toFixed(0)}`.padStart(9),
    `${run.onDiskAfterMs.toFixed(0)}`.padStart(8),
  ];
  return `  ${cells.join('  ')}`;
}

const HEADER = [
  '  run         answers/s   handling ms    Slack side ms  CPU ms/ans   loop max  Slack loop  on disk',
  '                          p50 / p99      p50 / p99      (of a core)  ms        p99/max ms  ms',
].join('\n');

console.log(
  pinning
    ? `\nThe app runs on CPU 0 (one core, with its GC and I/O threads); Slack's side on CPU ${pinning.slackSide}.`
    : "\nThe app and Slack's side share the machine's CPUs (no taskset): the figures include their contention.",
);
console.log(
  `Questionnaire: ${CONVERSATIONS} concurrent questionnaires × ${knowledge.factors.length} answers, ${STORED_USERS} people already stored (one file per person)`,
);
console.log(`
  handling:   in the app, from the click request arriving to its handler finishing, both Slack calls included
              (updating the answered question, posting the next one)
  Slack side: from the click being sent to the next question arriving, as the person would see it
  loop max:   the app's longest event-loop delay; Slack loop: the load generator's own
  on disk:    from the last result posted to every result being in the data files`);

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
console.log(
  `\nPaced, ${rounds} rounds of new people: each starts within 2 s and clicks 0.5–1.5 s after each question arrives.`,
);
console.log(HEADER);
const pacedRuns: RunStats[] = [];
for (let round = 1; round <= rounds; round++) {
  const stats = await run(`PACED${round}R`, [500, 1500], 2_000);
  pacedRuns.push(stats);
  console.log(row(`round ${round}`, stats));
}
if (rounds > 1) console.log(row('all', pooled(pacedRuns)));

if (!process.env.BENCH_PACED_ONLY) {
  console.log('\nSaturated: everyone starts at once and clicks the instant the next question arrives.');
  console.log(HEADER);
  console.log(row('saturated', await run('FAST', [0, 0], 0)));
}
console.log(`\nPeople stored afterwards: ${await stores.questionnaires.countPeople()}`);
console.log(
  `Memory of the process (app and bench), ${STORED_USERS} people loaded, before the runs: ${memoryAtStart}`,
);
console.log(
  `                                      after the runs: ${memory()}; largest RSS: ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB`,
);

await advisor.stop();
send({ type: 'exit' });
await rm(folder, { recursive: true, force: true });
