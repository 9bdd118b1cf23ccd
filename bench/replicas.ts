import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { personKey } from '../src/advisor/person.js';
import { HEALTH_PATH } from '../src/health.js';
import { messageEventFields } from '../src/local/slack-payloads.js';
import { dmChannelOf, type KeptMessage } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { QUESTIONNAIRE_ANSWER_ACTION, splitValue } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';
import { SlackSide } from './slack-side.js';

/**
 * `npm run bench:replicas`: several replicas of the built app (HTTP mode) on one PostgreSQL, behind a round-robin
 * proxy written here, one Web API stand-in for all. A throwaway cluster (scripts/test-postgres.sh) is started and
 * stopped by the bench; each run gets a database of its own.
 *
 * Runs: saturated with 1 replica and with 3 (answers per second, app CPU per answer, statements per click);
 * paced with 3 replicas (click p50/p99 as the person sees it) with Slack-style event retries (same event_id,
 * `x-slack-retry-num: 1`, sent to another replica), clicks double-delivered to two replicas at once and @mention
 * questions beside; the same paced, with one replica `kill -9`ed half way (its people click on through the others;
 * a click that showed nothing is clicked again after a moment). After each run the database is checked: results
 * stored twice, events answered twice, clicks applied twice, and answers the person saw confirmed but not stored.
 */
const PEOPLE = Number(process.env.BENCH_REPLICAS_PEOPLE ?? 200);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 3);
const SATURATED_ROUNDS = Number(process.env.BENCH_REPLICAS_ROUNDS ?? 2);
/** Share of people who ask an @mention question beside the questionnaire (paced runs). */
const ASKERS = 0.25;
/** Share of events Slack delivers again (same event_id) to another replica. */
const EVENT_RETRIES = 0.25;
/** Share of clicks delivered twice at once, to two replicas. */
const DOUBLE_CLICKS = 0.1;
const SECRET = 'bench-replicas-signing-secret-0123456789';
const CLOCK_TICKS_PER_SECOND = 100;
/** People who answer (uncounted) per replica before a run is measured. */
const WARM_UP = 10;

// ---- PostgreSQL: a throwaway cluster ----

const script = path.join(projectRoot, 'scripts', 'test-postgres.sh');
const started = execFileSync('bash', [script, 'start'], { encoding: 'utf8' });
const pgEnv = Object.fromEntries(
  [...started.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
);
const clusterDir = pgEnv.TEST_POSTGRES_DIR ?? '';
const adminUrl = pgEnv.TEST_DATABASE_URL ?? '';
let stopped = false;
function stopCluster() {
  if (stopped) return;
  stopped = true;
  spawnSync('bash', [script, 'stop', clusterDir], { stdio: 'ignore' });
}
const children = new Set<ChildProcess>();
function cleanUp() {
  for (const child of children) child.kill('SIGKILL');
  stopCluster();
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });

const urlOf = (database: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

const pgBin = (() => {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();
const asServerUser = (command: string, args: string[]) =>
  process.getuid?.() === 0
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' })
    : spawnSync(command, args, { stdio: 'ignore' });

/** pg_stat_statements counts every statement (BEGIN and COMMIT too): loaded with a restart when it is installed. */
async function enableStatements(): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  } catch (error) {
    console.error(`  pg_stat_statements: ${(error as Error).message}`);
    return false;
  } finally {
    await admin.end();
  }
  const restart = asServerUser(path.join(pgBin, 'pg_ctl'), [
    '-D',
    path.join(clusterDir, 'data'),
    '-w',
    '-t',
    '30',
    'restart',
  ]);
  if (restart.status !== 0) {
    console.error(`  pg_stat_statements: the restart failed (${restart.status ?? restart.error?.message})`);
    return false;
  }
  const again = new pg.Client({ connectionString: adminUrl });
  await again.connect();
  try {
    await again.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return true;
  } catch (error) {
    console.error(`  pg_stat_statements: ${(error as Error).message}`);
    return false;
  } finally {
    await again.end();
  }
}

// ---- CPUs ----

/** The bench (people, proxy, stand-in) and PostgreSQL on CPU 0, the replicas on CPU 1, when taskset can. */
const CPUS = availableParallelism();
function pinning(): string[] {
  if (process.platform !== 'linux' || CPUS < 2) return [];
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return pinned.status === 0 ? ['taskset', '-c', '1'] : [];
}

async function pinPostgres(): Promise<void> {
  const pid = (await readFile(path.join(clusterDir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '';
  const helpers = spawnSync('ps', ['-o', 'pid=', '--ppid', pid], { encoding: 'utf8' }).stdout.split(/\s+/);
  for (const each of [pid, ...helpers].filter(Boolean))
    spawnSync('taskset', ['-a', '-p', '-c', '0', each], { stdio: 'ignore' });
}

async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return ((Number(stat[11]) + Number(stat[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

// ---- The load balancer ----

interface Backend {
  port: number;
  alive: boolean;
}

/**
 * Round robin over the replicas, forwarding the raw body and headers. A replica refusing connections is marked
 * dead and skipped (the request goes to the next); a connection broken after the request went out is a 502 (it
 * may have been handled). Bench-only headers steer a request: `x-bench-to: i` (start at replica i),
 * `x-bench-not: i` (any replica but i); the response names the replica in `x-bench-replica`.
 */
class RoundRobin {
  backends: Backend[] = [];
  private turn = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly server = http.createServer((request, response) => this.handle(request, response));

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...request.headers };
      const to = headers['x-bench-to'] === undefined ? undefined : Number(headers['x-bench-to']);
      const not = headers['x-bench-not'] === undefined ? undefined : Number(headers['x-bench-not']);
      delete headers['x-bench-to'];
      delete headers['x-bench-not'];
      const count = this.backends.length;
      const first = to ?? this.turn++;
      const order = Array.from({ length: count }, (_, offset) => (first + offset) % count).filter(
        (index) => index !== not,
      );
      const attempt = (remaining: number[]) => {
        const index = remaining.find((candidate) => this.backends[candidate]?.alive);
        const backend = index === undefined ? undefined : this.backends[index];
        if (index === undefined || !backend) {
          response.writeHead(503).end('no replica');
          return;
        }
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: backend.port,
            method: request.method,
            path: request.url,
            headers: { ...headers, host: `127.0.0.1:${backend.port}` },
            agent: this.agent,
          },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, {
              ...answer.headers,
              'x-bench-replica': String(index),
            });
            answer.pipe(response);
            answer.on('error', () => response.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (response.headersSent) return void response.destroy();
          if (error.code === 'ECONNREFUSED') {
            backend.alive = false;
            attempt(remaining.filter((candidate) => candidate !== index));
          } else response.writeHead(502, { 'x-bench-replica': String(index) }).end(error.code ?? 'broken');
        });
        upstream.end(body);
      };
      attempt(order);
    });
  }
}

// ---- Slack's side ----

const slack = await SlackSide.start(SECRET);
const { standIn, payloads } = slack;
const proxy = new RoundRobin();
const proxyUrl = await proxy.listen();

const answerIds = (message: KeptMessage) =>
  message.blocks
    .flatMap((block) => block.elements ?? [])
    .filter((element) => element.action_id?.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
/** The questionnaire and question a question message asks ("session|factor" on its buttons). */
const questionOf = (message: KeptMessage) => (answerIds(message)[0] as { value?: string } | undefined)?.value;
const isResult = (message: KeptMessage) => message.text.startsWith('Your result');
const isIntro = (message: KeptMessage) => message.text.startsWith("Let's find your path");
const isReask = (message: KeptMessage) => message.text.startsWith("I couldn't show you this question before");

/** What the app posted, counted per channel, for the duplicate checks. */
const posted = {
  questions: new Map<string, number>(),
  results: new Map<string, number>(),
  intros: new Map<string, number>(),
  threadReplies: new Map<string, number>(),
};
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
standIn.api.onDelivery((delivery) => {
  if (delivery.kind !== 'message' || delivery.updated) return;
  const { message } = delivery;
  if (message.visibleTo) return;
  if (message.threadTs) bump(posted.threadReplies, `${message.channel}/${message.threadTs}`);
  else if (isResult(message)) bump(posted.results, message.channel);
  else if (isIntro(message)) bump(posted.intros, message.channel);
  else {
    const question = questionOf(message);
    if (question && !isReask(message)) bump(posted.questions, `${message.channel}/${question}`);
  }
});

interface Sent {
  status: number;
  replica: number | undefined;
}

async function send(
  body: string,
  headers: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<Sent> {
  try {
    const response = await fetch(proxyUrl, { method: 'POST', headers: { ...headers, ...extra }, body });
    await response.arrayBuffer();
    const replica = response.headers.get('x-bench-replica');
    return { status: response.status, replica: replica === null ? undefined : Number(replica) };
  } catch {
    return { status: 0, replica: undefined };
  }
}

interface Mix {
  retries: boolean;
  doubles: boolean;
}
const tally = () => ({
  eventRetries: 0,
  doubleClicks: 0,
  clicksAgain: 0,
  startsAgain: 0,
  mentions: 0,
  mentionsUnanswered: 0,
  gaveUp: 0,
  restarted: 0,
});
type Tally = ReturnType<typeof tally>;

/**
 * One Slack event, as Slack sends it: delivered again with the same event_id (to another replica) when it got no
 * 200, or, for a share of events (`mix.retries`), at once after the first delivery was acknowledged.
 */
async function deliverEvent(payload: object, mix: Mix, counts: Tally): Promise<void> {
  const { body, headers } = signedSlackRequest(SECRET, payload);
  let sent = await send(body, headers);
  const extraRetry = mix.retries && Math.random() < EVENT_RETRIES;
  for (let retry = 1; retry <= 3 && (sent.status !== 200 || (extraRetry && retry === 1)); retry++) {
    counts.eventRetries++;
    const again = await send(body, headers, {
      'x-slack-retry-num': String(retry),
      'x-slack-retry-reason': sent.status === 200 ? 'http_timeout' : 'http_error',
      ...(sent.replica === undefined ? {} : { 'x-bench-not': String(sent.replica) }),
    });
    if (sent.status === 200 && extraRetry) break;
    sent = again;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, sleep(ms).then(() => undefined)]);

interface Person {
  userId: string;
  channel: string;
  /** Answers the person saw taken (the next question or the result came back): option id per factor id. */
  confirmed: Map<string, string>;
  resultShown: boolean;
  /** "start" messages the person typed (a start that showed nothing is typed again). */
  starts: number;
}

/** How long a person waits for what a click should show before clicking again. */
const CLICK_AGAIN_MS = { paced: 3_000, saturated: 5_000 };
/** A paced person's pause before each click: 2–4 s, about 65 answers/s offered by 200 people (half of what one core took). */
const THINK_MS = { from: 2_000, spread: 2_000 };
const GIVE_UP_MS = 60_000;

async function questionnaire(
  person: Person,
  options: { paced: boolean; mix: Mix; onAnswer: (latency: number) => void; counts: Tally },
): Promise<void> {
  const { paced, mix, counts } = options;
  const deadline = performance.now() + GIVE_UP_MS;
  const isQuestion = (m: KeptMessage) => answerIds(m).length > 0;
  let shown: KeptMessage | undefined;
  while (!shown) {
    if (performance.now() > deadline) return void counts.gaveUp++;
    const first = slack.nextIn(person.channel, (m) => isQuestion(m));
    const start = standIn.api.recordPersonMessage(person.channel, 'start', { userId: person.userId });
    person.starts++;
    if (person.starts > 1) counts.startsAgain++;
    await deliverEvent(
      payloads.eventCallback(payloads.directMessage(messageEventFields(start))),
      mix,
      counts,
    );
    // A just-started questionnaire is kept for 5 s against a second start: wait a little longer than that.
    shown = await within(first, 6_000);
  }
  for (let step = 0; ; step++) {
    if (paced) await sleep(THINK_MS.from + Math.random() * THINK_MS.spread);
    const question = questionOf(shown) ?? '';
    const buttons = answerIds(shown);
    const button = buttons[step % buttons.length] as { action_id: string };
    const optionId = QUESTIONNAIRE_ANSWER_ACTION.partOf(button.action_id);
    const payload = payloads.buttonClick(
      { action_id: button.action_id },
      {
        message: shown,
        user: person.userId,
        responseUrl: standIn.api.createResponseUrl({
          channel: person.channel,
          userId: person.userId,
          source: shown,
        }),
      },
    );
    const { body, headers } = signedSlackRequest(SECRET, payload);
    // The next question of this questionnaire, the result, or a question of a new questionnaire (a "start"
    // typed again when the first showed nothing for a while: it restarts, discarding the answers).
    const sessionId = splitValue(question)[0] ?? '';
    const arrived = slack.nextIn(
      person.channel,
      (m) =>
        isResult(m) ||
        (isQuestion(m) && questionOf(m) !== question && splitValue(questionOf(m))[0] === sessionId) ||
        (isQuestion(m) && splitValue(questionOf(m))[0] !== sessionId && !isReask(m)),
    );
    const began = performance.now();
    let next: KeptMessage | undefined;
    for (let tries = 0; !next; tries++) {
      if (performance.now() > deadline) return void counts.gaveUp++;
      if (tries > 0) counts.clicksAgain++;
      if (tries === 0 && mix.doubles && Math.random() < DOUBLE_CLICKS) {
        counts.doubleClicks++;
        const to = Math.floor(Math.random() * proxy.backends.length);
        void send(body, headers, { 'x-bench-to': String(to) });
        void send(body, headers, { 'x-bench-not': String(to) });
      } else void send(body, headers);
      next = await within(arrived, paced ? CLICK_AGAIN_MS.paced : CLICK_AGAIN_MS.saturated);
    }
    if (isQuestion(next) && splitValue(questionOf(next))[0] !== sessionId) {
      counts.restarted++;
      person.confirmed.clear();
      shown = next;
      step = -1;
      continue;
    }
    options.onAnswer(performance.now() - began);
    person.confirmed.set(splitValue(question)[1] ?? '', optionId);
    if (isResult(next)) {
      person.resultShown = true;
      return;
    }
    shown = next;
  }
}

/** Someone asking a question in a channel with an @mention; counted unanswered after 10 s. */
async function ask(userId: string, channel: string, mix: Mix, counts: Tally): Promise<void> {
  counts.mentions++;
  const text = 'what is voice of the customer?';
  const { ts } = standIn.api.recordPersonMessage(channel, text, { userId });
  const answered = slack.nextIn(channel, (m) => m.threadTs === ts);
  await deliverEvent(
    payloads.eventCallback(payloads.appMention({ channel, user: userId, ts, text })),
    mix,
    counts,
  );
  if (!(await within(answered, 10_000))) counts.mentionsUnanswered++;
}

// ---- One run ----

interface Replica {
  child: ChildProcess;
  pid: number;
  alive: boolean;
}

async function startReplicas(count: number, databaseUrl: string, prefix: string[]): Promise<Replica[]> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-replicas-'));
  const replicas = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const app = await slack.startApp(path.join(folder, `unused-${index}`, 'db.json'), {
        prefix,
        env: { DATABASE_URL: databaseUrl },
      });
      app.child.stdout?.resume();
      app.child.stderr?.resume();
      children.add(app.child);
      for (;;) {
        const status = await fetch(`${app.baseUrl}${HEALTH_PATH}`)
          .then((response) => response.status)
          .catch(() => 0);
        if (status === 200) break;
        await sleep(20);
      }
      const replica: Replica = { child: app.child, pid: app.child.pid ?? 0, alive: true };
      app.child.once('exit', () => {
        replica.alive = false;
        children.delete(app.child);
      });
      return { replica, port: Number(new URL(app.baseUrl).port) };
    }),
  );
  proxy.backends = replicas.map(({ port }) => ({ port, alive: true }));
  await rm(folder, { recursive: true, force: true });
  return replicas.map(({ replica }) => replica);
}

async function stopReplicas(replicas: Replica[]): Promise<void> {
  await Promise.all(
    replicas
      .filter((replica) => replica.alive)
      .map(
        (replica) =>
          new Promise<void>((resolve) => {
            replica.child.once('exit', () => resolve());
            replica.child.kill('SIGTERM');
          }),
      ),
  );
}

interface RunOptions {
  name: string;
  replicas: number;
  paced: boolean;
  mix: Mix;
  killOne: boolean;
}

interface RunFigures {
  options: RunOptions;
  answers: number;
  seconds: number;
  latencies: number[];
  appCpuMs: number;
  statements: number | undefined;
  transactions: number;
  counts: Tally;
  check: Check;
  killedAt?: number;
}

interface Check {
  resultsTwice: number;
  eventsTwice: number;
  clicksTwice: number;
  lost: number;
  resultsMissing: number;
  answersDiffering: number;
}

let runNumber = 0;
let statementsOn = false;
let prefix: string[] = [];

/** Someone who has not started the questionnaire yet, in their DM with the app. */
function personFor(userId: string): Person {
  return {
    userId,
    channel: dmChannelOf(BENCH_WORKSPACE, userId),
    confirmed: new Map(),
    resultShown: false,
    starts: 0,
  };
}

async function run(options: RunOptions): Promise<RunFigures> {
  console.error(`  run: ${options.name} (${options.replicas} replica(s))`);
  const index = runNumber++;
  const database = `bench_${index}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const replicas = await startReplicas(options.replicas, urlOf(database), prefix);
  const people: Person[] = Array.from({ length: PEOPLE }, (_, n) => personFor(`U0R${index}P${n}`));
  const askers = options.paced ? people.filter(() => Math.random() < ASKERS) : [];
  // Fresh processes: a few people first (not counted), so the figures are of warmed-up replicas.
  const warmUp = Array.from({ length: WARM_UP * options.replicas }, (_, n) => personFor(`U0W${index}P${n}`));
  await Promise.all(
    warmUp.map((person) =>
      questionnaire(person, {
        paced: false,
        mix: { retries: false, doubles: false },
        counts: tally(),
        onAnswer: () => undefined,
      }),
    ),
  );

  await sleep(300); // start-up's own statements (migrations, retention) settle before counting
  const xacts = async () => {
    const { rows } = await admin.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
      [database],
    );
    return Number(rows[0]?.n ?? 0);
  };
  const statements = async () => {
    if (!statementsOn) return undefined;
    const { rows } = await admin.query<{ n: string | null }>(
      `SELECT sum(calls) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
      [database],
    );
    return Number(rows[0]?.n ?? 0);
  };
  const statementsBefore = await statements();
  const xactsBefore = await xacts();
  const cpuBefore = await Promise.all(replicas.map((replica) => cpuMs(replica.pid)));

  const counts = tally();
  const latencies: number[] = [];
  let answers = 0;
  const total = PEOPLE * 8;
  let killedAt: number | undefined;
  const cpuAtKill: number[] = [];
  const began = performance.now();
  await Promise.all([
    ...people.map(async (person) => {
      if (options.paced) await sleep(Math.random() * 2_000);
      await questionnaire(person, {
        paced: options.paced,
        mix: options.mix,
        counts,
        onAnswer: (latency) => {
          latencies.push(latency);
          if (++answers !== Math.floor(total / 2) || !options.killOne) return;
          const victim = replicas[0];
          if (!victim) return;
          void cpuMs(victim.pid).then((ms) => cpuAtKill.push(ms));
          victim.child.kill('SIGKILL');
          killedAt = answers;
        },
      });
    }),
    ...askers.map(async (person, n) => {
      await sleep(Math.random() * 6_000);
      await ask(person.userId, `C0ASK${index}X${n}`, options.mix, counts);
    }),
  ]);
  const seconds = (performance.now() - began) / 1000;
  const cpuAfter = await Promise.all(
    replicas.map(async (replica, n) =>
      replica.alive ? cpuMs(replica.pid) : (cpuAtKill[0] ?? cpuBefore[n] ?? 0),
    ),
  );
  await stopReplicas(replicas);
  await sleep(700); // the backends' statistics are flushed as they exit
  const statementsAfter = await statements();
  const xactsAfter = await xacts();
  const check = await checkDatabase(database, people, askers, index);
  await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
  await admin.end();
  slack.reset();
  return {
    options,
    answers: latencies.length,
    seconds,
    latencies,
    appCpuMs: cpuAfter.reduce((sum, ms, n) => sum + ms - (cpuBefore[n] ?? 0), 0),
    statements:
      statementsAfter === undefined || statementsBefore === undefined
        ? undefined
        : statementsAfter - statementsBefore,
    transactions: xactsAfter - xactsBefore,
    counts,
    check,
    ...(killedAt === undefined ? {} : { killedAt }),
  };
}

/** Checks what the database holds against what each person saw, and what the app posted against what was sent. */
async function checkDatabase(
  database: string,
  people: Person[],
  askers: Person[],
  index: number,
): Promise<Check> {
  const client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  const results = await client.query<{ person_key: string; result: { answers: Record<string, string> } }>(
    'SELECT person_key, result FROM questionnaire_results',
  );
  const sessions = await client.query<{ person_key: string; session: { answers: Record<string, string> } }>(
    'SELECT person_key, session FROM questionnaire_sessions',
  );
  await client.end();
  const resultsOf = new Map<string, { answers: Record<string, string> }[]>();
  for (const row of results.rows)
    resultsOf.set(row.person_key, [...(resultsOf.get(row.person_key) ?? []), row.result]);
  const sessionOf = new Map(sessions.rows.map((row) => [row.person_key, row.session]));
  const check: Check = {
    resultsTwice: 0,
    eventsTwice: 0,
    clicksTwice: 0,
    lost: 0,
    resultsMissing: 0,
    answersDiffering: 0,
  };
  for (const person of people) {
    const key = personKey({ teamId: BENCH_WORKSPACE.teamId, userId: person.userId });
    const stored = resultsOf.get(key) ?? [];
    if (stored.length > 1) check.resultsTwice += stored.length - 1;
    if (person.resultShown && stored.length === 0) check.resultsMissing++;
    const answers = stored[0]?.answers ?? sessionOf.get(key)?.answers ?? {};
    for (const [factorId, optionId] of person.confirmed) {
      if (!Object.hasOwn(answers, factorId)) check.lost++;
      else if (answers[factorId] !== optionId) check.answersDiffering++;
    }
    // Each "start" typed shows one intro at most, each result one result message.
    check.eventsTwice += Math.max(0, (posted.intros.get(person.channel) ?? 0) - person.starts);
    check.clicksTwice += Math.max(0, (posted.results.get(person.channel) ?? 0) - 1);
  }
  const channels = new Set(people.map((person) => person.channel));
  for (const [key, count] of posted.questions)
    if (count > 1 && channels.has(key.slice(0, key.indexOf('/')))) check.clicksTwice += count - 1;
  askers.forEach((_, n) => {
    const prefixOf = `C0ASK${index}X${n}/`;
    for (const [key, count] of posted.threadReplies)
      if (key.startsWith(prefixOf) && count > 1) check.eventsTwice += count - 1;
  });
  return check;
}

// ---- Main ----

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(middle)] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

let failed = false;
try {
  statementsOn = await enableStatements();
  console.error(`  PostgreSQL up; pg_stat_statements ${statementsOn ? 'on' : 'off'}`);
  prefix = pinning();
  if (prefix.length > 0) await pinPostgres();
  const plain: Mix = { retries: false, doubles: false };
  const slackLike: Mix = { retries: true, doubles: true };
  const saturated: RunFigures[] = [];
  for (let round = 0; round < SATURATED_ROUNDS; round++)
    for (const count of [1, REPLICAS])
      saturated.push(
        await run({ name: `saturated ×${count}`, replicas: count, paced: false, mix: plain, killOne: false }),
      );
  const paced = await run({ name: 'paced', replicas: REPLICAS, paced: true, mix: slackLike, killOne: false });
  const killed = await run({
    name: 'paced, kill -9',
    replicas: REPLICAS,
    paced: true,
    mix: slackLike,
    killOne: true,
  });
  const all = [...saturated, paced, killed];

  const rate = (figures: RunFigures) => figures.answers / figures.seconds;
  const one = median(saturated.filter((f) => f.options.replicas === 1).map(rate));
  const many = median(saturated.filter((f) => f.options.replicas === REPLICAS).map(rate));
  const cpuPer = (count: number) =>
    median(saturated.filter((f) => f.options.replicas === count).map((f) => f.appCpuMs / f.answers));
  const perClick = (figures: RunFigures) =>
    figures.statements === undefined ? undefined : figures.statements / figures.answers;
  const duplicates = all.reduce(
    (sum, f) =>
      sum + f.check.resultsTwice + f.check.eventsTwice + f.check.clicksTwice + f.check.answersDiffering,
    0,
  );
  const lost = all.reduce((sum, f) => sum + f.check.lost + f.check.resultsMissing, 0);
  const gaveUp = all.reduce((sum, f) => sum + f.counts.gaveUp, 0);
  const p99 = percentile(paced.latencies, 99);

  console.log(
    prefix.length > 0
      ? `\nCPUs: ${CPUS}. The replicas run on CPU 1 (taskset), this bench (people, proxy, Web API stand-in) and PostgreSQL on CPU 0.\n` +
          `So ${REPLICAS} replicas share the one core 1 replica has: the ${REPLICAS}-replica figure measures what several replicas cost on the\n` +
          'same CPU (locks across processes, more connections), not how far they scale; that needs a core per replica (and more for PostgreSQL).'
      : `\nCPUs: ${CPUS}, no taskset: replicas, bench and PostgreSQL share the CPUs; the figures include their contention.`,
  );
  console.log(
    `${PEOPLE} people, 8 questions each (their "start" included in the counts); saturated runs ×${SATURATED_ROUNDS}, medians. pg_stat_statements: ${statementsOn ? 'on' : 'not available (round trips from transactions)'}.`,
  );
  console.log(
    `  answers/s, 1 replica:  ${one.toFixed(0)}   (app CPU ${cpuPer(1).toFixed(2)} ms per answer → about ${(1000 / cpuPer(1)).toFixed(0)}/s per core)`,
  );
  console.log(
    `  answers/s, ${REPLICAS} replicas: ${many.toFixed(0)}   (${(many / one).toFixed(2)}× one; target ≥ 2×${prefix.length > 0 ? ', not reachable on one shared core' : ''}; app CPU ${cpuPer(REPLICAS).toFixed(2)} ms per answer)`,
  );
  console.log(
    `  click as the person sees it, paced (${REPLICAS} replicas, each person clicks 2–4 s after each question): ` +
      `p50 ${median(paced.latencies).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 ≤ 50 ms)`,
  );
  console.log(
    `  same, with one replica kill -9'd after ${killed.killedAt ?? '?'} of ${PEOPLE * 8} answers: p50 ${median(killed.latencies).toFixed(1)} ms, ` +
      `p99 ${percentile(killed.latencies, 99).toFixed(1)} ms, max ${(Math.max(...killed.latencies) / 1000).toFixed(1)} s ` +
      `(${killed.counts.clicksAgain} clicks clicked again, ${killed.counts.startsAgain} starts typed again)`,
  );
  for (const f of all) {
    const statementsText = perClick(f);
    console.log(
      `  ${f.options.name.padEnd(16)} ${f.answers} answers in ${f.seconds.toFixed(1)} s; ` +
        `${statementsText === undefined ? '' : `${statementsText.toFixed(1)} statements, `}${(f.transactions / f.answers).toFixed(1)} transactions per answer; ` +
        `event retries ${f.counts.eventRetries}, double clicks ${f.counts.doubleClicks}, clicked again ${f.counts.clicksAgain}, ` +
        `mentions ${f.counts.mentions} (${f.counts.mentionsUnanswered} unanswered), restarted ${f.counts.restarted}, gave up ${f.counts.gaveUp}; ` +
        `results twice ${f.check.resultsTwice}, events twice ${f.check.eventsTwice}, clicks twice ${f.check.clicksTwice}, ` +
        `stored answer ≠ clicked ${f.check.answersDiffering}, lost ${f.check.lost + f.check.resultsMissing}`,
    );
  }
  const trips = median(
    saturated.filter((f) => f.options.replicas === 1).map((f) => perClick(f) ?? f.transactions / f.answers),
  );
  console.log(
    `  duplicates: ${duplicates} (target 0); acknowledged answers lost: ${lost} (target 0); people who gave up: ${gaveUp}\n` +
      `  database round trips per click (1 replica, saturated${statementsOn ? ', pg_stat_statements calls, BEGIN/COMMIT included' : ', xact_commit + xact_rollback'}): ${trips.toFixed(1)}`,
  );
  failed = duplicates + lost + gaveUp > 0;
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  for (const child of children) child.kill('SIGKILL');
  await slack.close();
  proxy.server.close();
  stopCluster();
}
process.exit(failed ? 1 : 0);
