import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { personKey } from '../src/advisor/person.js';
import { HEALTH_PATH } from '../src/health.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { dmChannelOf } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { fnv1a } from '../src/store/person-files.js';
import { QA_LOG_LIMITS } from '../src/store/qa-log.js';
import { QuestionnaireFiles } from '../src/store/questionnaire-store.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';
import { type QuestionnairePerson, SlackSide } from './slack-side.js';

/**
 * `npm run bench:questionnaire`, first part: does a click cost the same with 100,000 people stored as with none?
 * The built app in HTTP mode (its own process, pinned to one core when `taskset` exists), people answering the
 * questionnaire through signed requests, a Web API stand-in on loopback. For 0, 10,000 and 100,000 people
 * already stored (each with a result, every tenth with a questionnaire in progress), rounds interleaved, it
 * prints: start-up (spawn → /healthz 200), app CPU per answer and bytes the app wrote to disk per answer
 * (/proc/<pid>/stat and /proc/<pid>/io), with the ratios to 0 people. Then the one-time start of a data folder in
 * the earlier layout (16 + 64 shared files), which moves everyone into per-person files.
 */
const SCALES = (process.env.BENCH_SCALE ?? '0,10000,100000').split(',').map(Number);
const PEOPLE = Number(process.env.BENCH_SCALE_PEOPLE ?? 60);
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);
const STARTS = Number(process.env.BENCH_SCALE_STARTS ?? 3);
const MIGRATION_PEOPLE = Number(process.env.BENCH_MIGRATION_PEOPLE ?? 100_000);
const SECRET = 'bench-scale-signing-secret-0123456789';
const TEAM = BENCH_WORKSPACE.teamId;
const CLOCK_TICKS_PER_SECOND = 100;

const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const answers = Object.fromEntries(
  knowledge.factors.map((factor) => [factor.id, factor.options[0]?.id ?? '']),
);

function storedResult() {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    leanRoleId: 'it-pm',
    strength: 'clear',
    totals: { 'it-pm': 18, 'general-pm': 4 },
    answers,
  };
}

function storedSession(userId: string) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    teamId: TEAM,
    userId,
    channelId: `D0${userId}`,
    factorIds: knowledge.factors.map((factor) => factor.id),
    answers: {},
    step: 0,
    questionTs: {},
    startedAt: now,
    updatedAt: now,
  };
}

/** Writes the files `count` people leave behind, as the app lays them out (without syncing each: a fixture). */
async function populate(dataFile: string, count: number): Promise<void> {
  const folders = new Map<string, Promise<unknown>>();
  const write = async (file: string, content: unknown) => {
    const folder = path.dirname(file);
    if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
    await folders.get(folder);
    await writeFile(file, JSON.stringify(content));
  };
  for (let from = 0; from < count; from += 256) {
    const batch = Array.from({ length: Math.min(256, count - from) }, (_, offset) => from + offset);
    await Promise.all(
      batch.map(async (index) => {
        const userId = `U0STORED${index}`;
        const key = personKey({ teamId: TEAM, userId });
        await write(QuestionnaireFiles.personFileFor(dataFile, 'results', key), [storedResult()]);
        if (index % 10 === 0)
          await write(QuestionnaireFiles.personFileFor(dataFile, 'sessions', key), storedSession(userId));
      }),
    );
  }
}

/** The same people in the earlier layout: 16 shared questionnaire files and 64 shared result files. */
async function populateOldLayout(dataFile: string, count: number): Promise<void> {
  const sessions = Array.from({ length: 16 }, () => ({}) as Record<string, unknown>);
  const results = Array.from({ length: 64 }, () => ({}) as Record<string, unknown>);
  for (let index = 0; index < count; index++) {
    const userId = `U0STORED${index}`;
    const key = personKey({ teamId: TEAM, userId });
    (results[fnv1a(key) % 64] as Record<string, unknown>)[key] = [storedResult()];
    if (index % 10 === 0) (sessions[fnv1a(key) % 16] as Record<string, unknown>)[key] = storedSession(userId);
  }
  const folder = QuestionnaireFiles.folderFor(dataFile);
  await mkdir(folder, { recursive: true });
  const name = (kind: string, index: number) =>
    path.join(folder, `${kind}-${String(index).padStart(3, '0')}.json`);
  await Promise.all([
    ...sessions.map((shard, index) =>
      writeFile(name('sessions', index), JSON.stringify({ version: 1, sessions: shard })),
    ),
    ...results.map((shard, index) =>
      writeFile(name('results', index), JSON.stringify({ version: 1, results: shard })),
    ),
  ]);
}

/** CPU time (ms) and bytes written to the storage layer by a process so far. */
async function usage(pid: number): Promise<{ cpuMs: number; writeBytes: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]);
  const io = await readFile(`/proc/${pid}/io`, 'utf8');
  const writeBytes = Number(/write_bytes: (\d+)/.exec(io)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, writeBytes };
}

/** Pins this process to CPU 0 and returns the prefix that runs the app on CPU 1, when `taskset` can. */
function pinning(): string[] {
  if (process.platform !== 'linux' || availableParallelism() < 2) return [];
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return pinned.status === 0 ? ['taskset', '-c', '1'] : [];
}

const prefix = pinning();
const slack = await SlackSide.start(SECRET);

/** Spawns the app on the data and waits for /healthz to answer 200; returns how long that took. */
async function start(dataFile: string) {
  const began = performance.now();
  const app = await slack.startApp(dataFile, { prefix });
  for (;;) {
    const status = await fetch(`${app.baseUrl}${HEALTH_PATH}`)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { ...app, startupMs: performance.now() - began };
}

async function stop(child: ChildProcess) {
  const exited = new Promise<void>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Figures {
  startupMs: number[];
  cpuMsPerAnswer: number[];
  bytesPerAnswer: number[];
}

const figures = new Map<number, Figures>(
  SCALES.map((scale) => [scale, { startupMs: [], cpuMsPerAnswer: [], bytesPerAnswer: [] }]),
);
const dataFiles = new Map<number, string>();
const root = await mkdtemp(path.join(tmpdir(), 'pm-advisor-scale-'));
for (const scale of SCALES) {
  const dataFile = path.join(root, `people-${scale}`, 'db.json');
  const began = performance.now();
  await populate(dataFile, scale);
  dataFiles.set(scale, dataFile);
  console.log(`  ${scale} people stored in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

for (let round = 0; round < STARTS; round++) {
  for (const scale of SCALES) {
    const app = await start(dataFiles.get(scale) ?? '');
    figures.get(scale)?.startupMs.push(app.startupMs);
    await stop(app.child);
  }
}

for (let round = 0; round < ROUNDS; round++) {
  for (const scale of SCALES) {
    const app = await start(dataFiles.get(scale) ?? '');
    const pid = app.child.pid ?? 0;
    const people: QuestionnairePerson[] = Array.from({ length: PEOPLE }, (_, index) => {
      const userId = `U0R${round}S${scale}P${index}`;
      return { userId, channel: dmChannelOf(BENCH_WORKSPACE, userId), confirmed: 0, resultShown: false };
    });
    const before = await usage(pid);
    await Promise.all(people.map((person) => slack.answerAll(app.url, person)));
    const after = await usage(pid);
    const answered = people.reduce((sum, person) => sum + person.confirmed, 0);
    const entry = figures.get(scale);
    entry?.cpuMsPerAnswer.push((after.cpuMs - before.cpuMs) / answered);
    entry?.bytesPerAnswer.push((after.writeBytes - before.writeBytes) / answered);
    await stop(app.child);
    slack.reset();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const base = figures.get(SCALES[0] ?? 0);
const ratio = (value: number, anchor: number) => `${(value / anchor).toFixed(2)}×`;
console.log(
  prefix.length > 0
    ? '\nThe app runs on CPU 1 (taskset), this bench and the Web API stand-in on CPU 0.'
    : '\nThe app and the bench share the CPUs (no taskset): the figures include their contention.',
);
console.log(
  `${PEOPLE} people answer all ${knowledge.factors.length} questions (their "start" included) per round, ${ROUNDS} rounds, ${STARTS} starts; medians.`,
);
console.log('  people stored   start-up ms        CPU ms/answer       disk bytes/answer');
for (const scale of SCALES) {
  const entry = figures.get(scale);
  if (!entry || !base) continue;
  const startup = median(entry.startupMs);
  const cpu = median(entry.cpuMsPerAnswer);
  const bytes = median(entry.bytesPerAnswer);
  console.log(
    `  ${String(scale).padStart(13)}   ${`${startup.toFixed(0)} (${ratio(startup, median(base.startupMs))})`.padEnd(17)}  ${`${cpu.toFixed(2)} (${ratio(cpu, median(base.cpuMsPerAnswer))})`.padEnd(18)}  ${bytes.toFixed(0)} (${ratio(bytes, median(base.bytesPerAnswer))})`,
  );
}

// ---- The Q&A log: CPU per @mention question with 5,000 answers already logged, against a fresh data file ----
const QUESTIONS = [
  'do IT product managers need to code?',
  'what does a product marketing manager do all day',
  'how is a technical program manager different from a TPM who is a product manager?',
  'what KPIs do IT PMs track?',
  'what is voice of the customer?',
];
const MENTIONS = Number(process.env.BENCH_MENTIONS ?? 300);

/** A Q&A log as full as it gets: 5,000 answers with votes and 2,000 unanswered questions. */
async function populateQaLog(dataFile: string): Promise<void> {
  const at = new Date().toISOString();
  const answersLogged = Object.fromEntries(
    Array.from({ length: QA_LOG_LIMITS.answers }, (_, index) => [
      `a${index.toString(36)}old`,
      {
        teamId: TEAM,
        channelId: 'C0GENERAL01',
        userId: `U0ASKER${index % 500}`,
        question: QUESTIONS[index % QUESTIONS.length] ?? '',
        entryIds: ['it-pm-duties'],
        at,
        votes: index % 3 === 0 ? { [`U0VOTER${index % 50}`]: { vote: 'helpful', at } } : {},
      },
    ]),
  );
  const unanswered = Array.from({ length: QA_LOG_LIMITS.unanswered }, (_, index) => ({
    teamId: TEAM,
    channelId: 'C0GENERAL01',
    userId: `U0ASKER${index % 500}`,
    question: `how much do they earn in city ${index}?`,
    closestIds: [],
    at,
  }));
  await mkdir(path.dirname(dataFile), { recursive: true });
  await writeFile(dataFile, JSON.stringify({ version: 1, answers: answersLogged, unanswered }));
}

const qaFiles = {
  fresh: path.join(root, 'qa-fresh', 'db.json'),
  full: path.join(root, 'qa-full', 'db.json'),
};
await populateQaLog(qaFiles.full);
const mentionCpu: Record<keyof typeof qaFiles, number[]> = { fresh: [], full: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ['fresh', 'full'] as const) {
    const app = await start(qaFiles[kind]);
    const pid = app.child.pid ?? 0;
    const askers = Array.from({ length: 10 }, (_, index) => `U0Q${round}${kind}${index}`);
    const before = await usage(pid);
    await Promise.all(
      askers.map(async (userId, index) => {
        for (let asked = index; asked < MENTIONS; asked += askers.length)
          await slack.ask(app.url, `C0Q${index}`, userId, QUESTIONS[asked % QUESTIONS.length] ?? '');
      }),
    );
    const after = await usage(pid);
    mentionCpu[kind].push((after.cpuMs - before.cpuMs) / MENTIONS);
    await stop(app.child);
    slack.reset();
  }
}
const fresh = median(mentionCpu.fresh);
const full = median(mentionCpu.full);
console.log(
  `\nQ&A log: ${MENTIONS} @mention questions per round, ${ROUNDS} rounds; app CPU ms per question, medians:\n` +
    `  fresh data file ${fresh.toFixed(2)}, ${QA_LOG_LIMITS.answers.toLocaleString('en')} answers and ${QA_LOG_LIMITS.unanswered.toLocaleString('en')} unanswered already logged ${full.toFixed(2)} (${ratio(full, fresh)})`,
);

if (MIGRATION_PEOPLE > 0) {
  const dataFile = path.join(root, 'earlier-layout', 'db.json');
  await populateOldLayout(dataFile, MIGRATION_PEOPLE);
  const first = await start(dataFile);
  await stop(first.child);
  const second = await start(dataFile);
  await stop(second.child);
  console.log(
    `\nUpgrading from the earlier layout (${MIGRATION_PEOPLE} people in 16 + 64 shared files): the first start moves everyone ` +
      `into per-person files, ${(first.startupMs / 1000).toFixed(1)} s to /healthz 200; the next start ${(second.startupMs / 1000).toFixed(2)} s.`,
  );
}

await slack.close();
await rm(root, { recursive: true, force: true });
