import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import { dmChannelOf, type KeptMessage } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { joinValue, QUESTIONNAIRE_ANSWER_ACTION } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/**
 * `npm run bench:ack`: what this app costs per request beside the cheapest apps that could answer the same
 * requests, measured side by side in one run. Three servers, each its own process, each given the same signed
 * requests as Slack sends them:
 *
 * - this app: the built app (dist/src/index.js) in HTTP mode, as `npm start` runs it;
 * - bare Bolt: a Bolt 5 app with one ack-only `/pm-compare`, an app_mention listener posting one thread reply,
 *   every block action acked (bench/ack-bare-bolt.ts);
 * - node:http: a plain server that checks the same signature and answers 200, and posts the same one reply to a
 *   mention (bench/ack-bare-http.ts).
 *
 * All three call the Web API stand-in (src/local/slack-api-stand-in.ts) in this process through SLACK_API_URL.
 * Where `taskset` is there and the machine has 2 CPUs or more, the servers share CPU 1 and this process (the load
 * and the stand-in) gets CPU 0. Rounds are interleaved (every server takes its turn in every round, in a rotating
 * order), so a slower moment of the machine falls on all of them. CPU is the server process's, all threads, from
 * /proc/<pid>/task/*\/schedstat (or /proc/<pid>/stat) before and after each turn, the turn's deferred writes
 * included (it ends SETTLE_MS after the last answer). Prints figures and ratios; it asserts nothing.
 */
const SECRET = 'bench-ack-signing-secret-0123456789';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const COMPARES_PER_ROUND = Number(process.env.BENCH_COMPARES ?? 1200);
const COMPARE_CONCURRENCY = 10;
const ASKERS = 20;
const MENTIONS_PER_ASKER = Number(process.env.BENCH_MENTIONS_PER_ASKER ?? 16);
const CLICKERS = 20;
/** The anchors' clicks are cheap: they get this many times the app's clicks per turn, for a steadier figure. */
const ANCHOR_CLICKS_FACTOR = 3;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 7);
/**
 * After a turn's last answer, how long deferred work (the stores' gathered writes, V8's clean-up once requests stop)
 * may still run and count. Turns are long beside it (over a second of requests), so that this fixed part weighs
 * little: with 250 /pm-compare a turn, per-request figures came out a third higher and the rounds' ratios spread
 * over 0.3–2.5.
 */
const SETTLE_MS = 500;
const TIMEOUT_MS = 15_000;
/** BENCH_PROFILE=<folder>: the apps and bare Bolt run with --cpu-prof, profiles written there (stopped with SIGTERM). */
const PROFILE_DIR = process.env.BENCH_PROFILE;

/** Questions people ask in channels (the knowledge answers all of them), asked in turn. */
const QUESTIONS = [
  'what is voice of the customer?',
  'do I need to code to be an IT product manager?',
  'hey, what does an IT PM actually do?',
  'IT PM or PM, which one should I choose?',
  'which one deals more with pricing?',
];

/**
 * BENCH_BASELINE=<folder>: another copy of this project, built (e.g. `git archive <commit> | tar -x -C <folder>`,
 * node_modules linked, `npm run build`), run as a fourth server in the same rounds: before/after in one run.
 */
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : undefined;
type Kind = 'app' | 'bolt' | 'http' | 'baseline';
const KINDS: Kind[] = BASELINE ? ['app', 'baseline', 'bolt', 'http'] : ['app', 'bolt', 'http'];
const LABEL: Record<Kind, string> = {
  app: 'this app',
  bolt: 'bare Bolt',
  http: 'node:http',
  baseline: 'baseline',
};
const SCRIPT: Record<Kind, string> = {
  app: path.join(projectRoot, 'dist', 'src', 'index.js'),
  baseline: path.join(BASELINE ?? projectRoot, 'dist', 'src', 'index.js'),
  bolt: path.join(projectRoot, 'dist', 'bench', 'ack-bare-bolt.js'),
  http: path.join(projectRoot, 'dist', 'bench', 'ack-bare-http.js'),
};

// ---- CPUs: the servers on one, the load on the other ----

/** Pins this process to CPU 0 and returns the CPU the servers get, when taskset and 2 CPUs are there. */
function pinCpus(): { servers: string } | undefined {
  if (process.platform !== 'linux' || availableParallelism() < 2) return undefined;
  const pinned = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  return pinned.status === 0 ? { servers: '1' } : undefined;
}
const pinning = pinCpus();

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (ms) a process has used, all its threads: nanoseconds from schedstat, else clock ticks from stat. */
function cpuMs(pid: number): number {
  const tasks = `/proc/${pid}/task`;
  if (existsSync(tasks)) {
    let ns = 0;
    for (const task of readdirSync(tasks)) {
      try {
        ns += Number(readFileSync(`${tasks}/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that just ended
      }
    }
    if (ns > 0) return ns / 1e6;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

// ---- The Slack side: the Web API stand-in, and who waits for which message ----

const standIn = await SlackApiStandIn.start(BENCH_WORKSPACE);
const payloads = slackPayloads(BENCH_WORKSPACE);
/** Per channel, who waits for a new message there: true when it took the message. */
const waiting = new Map<string, (message: KeptMessage) => boolean>();
standIn.api.onDelivery((delivery) => {
  if (delivery.kind !== 'message' || delivery.updated) return;
  const waiter = waiting.get(delivery.message.channel);
  if (waiter?.(delivery.message)) waiting.delete(delivery.message.channel);
});
/** Resolves with the next new message in a channel that `wanted` accepts (rejects after TIMEOUT_MS). */
function nextIn(channel: string, wanted: (message: KeptMessage) => boolean): Promise<KeptMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(channel);
      reject(new Error(`nothing arrived in ${channel} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    waiting.set(channel, (message) => {
      if (!wanted(message)) return false;
      clearTimeout(timer);
      resolve(message);
      return true;
    });
  });
}

// ---- The servers ----

interface Server {
  kind: Kind;
  child: ChildProcess;
  pid: number;
  url: string;
  agent: Agent;
  output: () => string;
  folder: string;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Sends a signed request; resolves with the status (the body read and dropped, or kept when asked). */
function send(
  url: string,
  payload: object,
  agent: Agent | false,
  keepBody = false,
): Promise<{ status: number; body: string }> {
  const { body, headers } = signedSlackRequest(SECRET, payload);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => keepBody && chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.setTimeout(TIMEOUT_MS, () => outgoing.destroy(new Error('no answer')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Spawns a server on the servers' CPU; `started` resolves with ms from spawn to its first 200. */
async function startServer(kind: Kind): Promise<{ server: Server; startMs: number; startCpuMs: number }> {
  const port = await freePort();
  const folder = await mkdtemp(path.join(tmpdir(), `pm-advisor-ack-${kind}-`));
  const env = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standIn.apiUrl,
    SLACK_API_RETRIES: '0',
    PORT: String(port),
    DATA_FILE: path.join(folder, 'db.json'),
  };
  const node = [
    process.execPath,
    ...(PROFILE_DIR && kind !== 'http' ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : []),
    SCRIPT[kind],
  ];
  const [command, args] = pinning
    ? ['taskset', ['-c', pinning.servers, ...node]]
    : [node[0] ?? '', node.slice(1)];
  const spawnedAt = performance.now();
  // The working directory is an empty folder: no .env is read.
  const child = spawn(command, args, { env, cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}/slack/events`;
  // Polled with a fresh connection each time until the first 200; refused connections come back at once.
  for (;;) {
    if (exited) throw new Error(`${LABEL[kind]} exited before answering:\n${output}`);
    if (performance.now() - spawnedAt > TIMEOUT_MS) throw new Error(`${LABEL[kind]} never answered`);
    const answer = await send(url, payloads.slashCommand({ text: '' }), false).catch(() => undefined);
    if (answer?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const startMs = performance.now() - spawnedAt;
  const startCpuMs = cpuMs(child.pid ?? 0);
  const server: Server = {
    kind,
    child,
    pid: child.pid ?? 0,
    url,
    // Idle connections are dropped before the server's 5 s keep-alive limit could close one under a request.
    agent: new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 }),
    output: () => output,
    folder,
  };
  return { server, startMs, startCpuMs };
}

async function stopServer(server: Server): Promise<void> {
  server.agent.destroy();
  if (server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    await exited;
  }
  await rm(server.folder, { recursive: true, force: true });
}

// ---- The requests ----

interface Turn {
  requests: number;
  cpuMs: number;
  latencies: number[];
  failures: number;
}

/** Runs `work` and measures the server's CPU over it and SETTLE_MS after. */
async function measured(
  server: Server,
  work: () => Promise<{ requests: number; latencies: number[]; failures: number }>,
): Promise<Turn> {
  const before = cpuMs(server.pid);
  const result = await work();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return { ...result, cpuMs: cpuMs(server.pid) - before };
}

/** `/pm-compare` with no text: the overview (for the bare servers an ack), COMPARE_CONCURRENCY at a time. */
async function compareTurn(server: Server): Promise<Turn> {
  const bodies = Array.from({ length: COMPARES_PER_ROUND }, () => payloads.slashCommand({ text: '' }));
  return measured(server, async () => {
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: COMPARE_CONCURRENCY }, async () => {
        for (let index = next++; index < bodies.length; index = next++) {
          const started = performance.now();
          const answer = await send(server.url, bodies[index] ?? {}, server.agent).catch(() => undefined);
          if (answer?.status === 200) latencies.push(performance.now() - started);
          else failures++;
        }
      }),
    );
    return { requests: bodies.length, latencies, failures };
  });
}

/** ASKERS people, each in a channel of their own, asking a question and waiting for the thread reply, again. */
async function mentionTurn(server: Server, round: string): Promise<Turn> {
  return measured(server, async () => {
    const latencies: number[] = [];
    let failures = 0;
    await Promise.all(
      Array.from({ length: ASKERS }, async (_, asker) => {
        const channel = `C0ASK${server.kind.toUpperCase()}${round}X${asker}`;
        const userId = `U0ASK${asker}`;
        for (let index = 0; index < MENTIONS_PER_ASKER; index++) {
          const text = QUESTIONS[(asker + index) % QUESTIONS.length] ?? '';
          const asked = standIn.api.recordPersonMessage(channel, text, { userId });
          const event = payloads.eventCallback(
            payloads.appMention({
              channel,
              user: userId,
              ts: asked.ts,
              text: `<@${BENCH_WORKSPACE.botUserId}> ${text}`,
            }),
          );
          const replied = nextIn(channel, (message) => message.threadTs === asked.ts);
          const started = performance.now();
          try {
            const answer = await send(server.url, event, server.agent);
            if (answer.status !== 200) throw new Error(`status ${answer.status}`);
            await replied;
            latencies.push(performance.now() - started);
          } catch {
            waiting.delete(channel);
            failures++;
          }
        }
      }),
    );
    return { requests: ASKERS * MENTIONS_PER_ASKER, latencies, failures };
  });
}

const answerIds = (message: KeptMessage) =>
  message.blocks
    .flatMap((block) => block.elements ?? [])
    .flatMap((element) => element.action_id ?? [])
    .filter((id) => id.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
const isResult = (message: KeptMessage) => message.text.startsWith('Your result');
const isQuestionOrResult = (message: KeptMessage) => isResult(message) || answerIds(message).length > 0;

/** How many questions the app's questionnaire asks (found in the warm-up), so the anchors get as many clicks. */
let questionsPerQuestionnaire = 0;

/**
 * The app: CLICKERS people start the questionnaire (not measured), then answer every question, each click sent
 * the moment the next question arrives; measured is the clicking (updating the answered question, posting the next
 * one or the result). The anchors get clicks on the same kind of button (ANCHOR_CLICKS_FACTOR times as many), each
 * acked.
 */
async function clickTurn(server: Server, round: string): Promise<Turn> {
  if (server.kind === 'bolt' || server.kind === 'http') {
    const clicks = CLICKERS * Math.max(questionsPerQuestionnaire, 1) * ANCHOR_CLICKS_FACTOR;
    const click = (index: number) =>
      payloads.buttonClick(
        {
          action_id: QUESTIONNAIRE_ANSWER_ACTION.with('option'),
          value: joinValue('session', `factor${index}`),
        },
        { message: { channel: dmChannelOf(BENCH_WORKSPACE, `U0CLK${index}`), ts: '1700000000.000100' } },
      );
    return measured(server, async () => {
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: CLICKERS }, async () => {
          for (let index = next++; index < clicks; index = next++) {
            const started = performance.now();
            const answer = await send(server.url, click(index), server.agent).catch(() => undefined);
            if (answer?.status === 200) latencies.push(performance.now() - started);
            else failures++;
          }
        }),
      );
      return { requests: clicks, latencies, failures };
    });
  }

  const people = Array.from({ length: CLICKERS }, (_, index) => {
    const userId = `U0CLK${round}P${index}`;
    return { userId, channel: dmChannelOf(BENCH_WORKSPACE, userId) };
  });
  const firstQuestions = await Promise.all(
    people.map(async ({ userId, channel }) => {
      const first = nextIn(channel, isQuestionOrResult);
      const start = standIn.api.recordPersonMessage(channel, 'start', { userId });
      await send(
        server.url,
        payloads.eventCallback(payloads.directMessage(messageEventFields(start))),
        server.agent,
      );
      return first;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return measured(server, async () => {
    const latencies: number[] = [];
    let failures = 0;
    let clicks = 0;
    await Promise.all(
      people.map(async ({ userId, channel }, index) => {
        let shown: KeptMessage | undefined = firstQuestions[index];
        for (let step = 0; shown && !isResult(shown); step++) {
          const ids = answerIds(shown);
          const arrived = nextIn(channel, isQuestionOrResult);
          const click = payloads.buttonClick(
            { action_id: ids[step % ids.length] ?? '' },
            {
              message: shown,
              user: userId,
              responseUrl: standIn.api.createResponseUrl({ channel, userId, source: shown }),
            },
          );
          const started = performance.now();
          clicks++;
          try {
            await send(server.url, click, server.agent);
            shown = await arrived;
            latencies.push(performance.now() - started);
          } catch {
            waiting.delete(channel);
            failures++;
            shown = undefined;
          }
        }
      }),
    );
    return { requests: clicks, latencies, failures };
  });
}

// ---- The run ----

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const median = (values: readonly number[]) => percentile(values, 50);

type Scenario = 'compare' | 'mention' | 'click';
/** BENCH_SCENARIOS=compare,click runs only those (the table then shows NaN for the others). */
const SCENARIOS = (['compare', 'mention', 'click'] as const).filter(
  (scenario) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(',').includes(scenario),
);
const byKind = <T>(make: () => T): Record<Kind, T> => ({
  app: make(),
  baseline: make(),
  bolt: make(),
  http: make(),
});
const turns: Record<Scenario, Record<Kind, Turn[]>> = {
  compare: byKind(() => []),
  mention: byKind(() => []),
  click: byKind(() => []),
};
const coldStarts = byKind((): number[] => []);
/** CPU the server process used from its start to its first 200 (all threads). */
const coldStartCpu = byKind((): number[] => []);

function runTurn(scenario: Scenario, server: Server, round: string): Promise<Turn> {
  if (scenario === 'compare') return compareTurn(server);
  if (scenario === 'mention') return mentionTurn(server, round);
  return clickTurn(server, round);
}

const runStarted = performance.now();
console.log(
  pinning
    ? `Servers pinned to CPU ${pinning.servers} (taskset), the load and the Web API stand-in to CPU 0.`
    : `Not pinned (${process.platform !== 'linux' ? 'not Linux' : availableParallelism() < 2 ? 'one CPU' : 'no taskset'}): the servers and the load share the CPUs, and the figures include that contention.`,
);

const servers = {} as Record<Kind, Server>;
for (const kind of KINDS) servers[kind] = (await startServer(kind)).server;

try {
  // Sanity: the app really answers /pm-compare with the overview, and the warm-up round (JIT, connections,
  // the questionnaire's length) is not counted.
  const overview = await send(servers.app.url, payloads.slashCommand({ text: '' }), servers.app.agent, true);
  if (!overview.body.includes('"blocks"')) throw new Error(`no overview from the app: ${overview.body}`);
  {
    const person = 'U0WARMUP';
    const channel = dmChannelOf(BENCH_WORKSPACE, person);
    let shown: KeptMessage = await (async () => {
      const first = nextIn(channel, isQuestionOrResult);
      const start = standIn.api.recordPersonMessage(channel, 'start', { userId: person });
      await send(
        servers.app.url,
        payloads.eventCallback(payloads.directMessage(messageEventFields(start))),
        servers.app.agent,
      );
      return first;
    })();
    while (!isResult(shown)) {
      questionsPerQuestionnaire++;
      const arrived = nextIn(channel, isQuestionOrResult);
      await send(
        servers.app.url,
        payloads.buttonClick({ action_id: answerIds(shown)[0] ?? '' }, { message: shown, user: person }),
        servers.app.agent,
      );
      shown = await arrived;
    }
  }
  for (const scenario of SCENARIOS)
    for (const kind of KINDS) await runTurn(scenario, servers[kind], `W${scenario[0]}`);

  for (let round = 0; round < ROUNDS; round++) {
    // A rotating order: each server goes first, second and last in turn.
    const order = KINDS.map((_, index) => KINDS[(index + round) % KINDS.length] as Kind);
    for (const scenario of SCENARIOS)
      for (const kind of order)
        turns[scenario][kind].push(await runTurn(scenario, servers[kind], `R${round}`));
  }

  // Cold starts, interleaved too: spawn → first 200 to a signed /pm-compare, a fresh data folder each time.
  for (let index = 0; index < COLD_STARTS; index++) {
    for (const kind of KINDS.map((_, k) => KINDS[(k + index) % KINDS.length] as Kind)) {
      const { server, startMs, startCpuMs } = await startServer(kind);
      coldStarts[kind].push(startMs);
      coldStartCpu[kind].push(startCpuMs);
      await stopServer(server);
    }
  }
} catch (error) {
  for (const kind of KINDS) console.error(`--- ${LABEL[kind]} output ---\n${servers[kind].output()}`);
  throw error;
} finally {
  for (const kind of KINDS) await stopServer(servers[kind]);
  await standIn.close();
}

// ---- The figures ----

const total = (list: Turn[], pick: (turn: Turn) => number) => list.reduce((sum, turn) => sum + pick(turn), 0);
const cpuPerRequest = (list: Turn[]) => total(list, (t) => t.cpuMs) / total(list, (t) => t.requests);
const latencyP50 = (list: Turn[]) => median(list.flatMap((turn) => turn.latencies));
/** Each round's own ratio a/b of a figure: the servers of one round share that moment of the machine. */
function roundRatios(scenario: Scenario, figure: (list: Turn[]) => number, a: Kind, b: Kind): number[] {
  return turns[scenario][a].flatMap((turn, index) => {
    const other = turns[scenario][b][index];
    return other ? [figure([turn]) / figure([other])] : [];
  });
}

/** Each cold start's ratio to the other server's started right before or after it. */
function pairedRatios(figures: Record<Kind, number[]>, a: Kind, b: Kind): number[] {
  return figures[a].flatMap((value, index) => {
    const other = figures[b][index];
    return other ? [value / other] : [];
  });
}

interface Row {
  what: string;
  unit: string;
  /** The figure of one server, all rounds pooled. */
  value: (kind: Kind) => number;
  /** Per-round ratios, when the figure is measured in rounds (their median is the ratio shown). */
  ratios?: (a: Kind, b: Kind) => number[];
  target?: string;
}
const scenarioRow = (
  what: string,
  scenario: Scenario,
  figure: (list: Turn[]) => number,
  target?: string,
): Row => ({
  what,
  unit: 'ms',
  value: (kind) => figure(turns[scenario][kind]),
  ratios: (a, b) => roundRatios(scenario, figure, a, b),
  ...(target ? { target } : {}),
});
const rows: Row[] = [
  scenarioRow('/pm-compare overview, CPU per request', 'compare', cpuPerRequest, '≤ 1.3×'),
  scenarioRow(`@mention thread reply p50, ${ASKERS} askers`, 'mention', latencyP50, '≤ 1.3×'),
  scenarioRow('@mention, CPU per question', 'mention', cpuPerRequest),
  scenarioRow('questionnaire click, CPU per click', 'click', cpuPerRequest),
  {
    what: 'cold start, spawn → first 200 (median)',
    unit: 'ms',
    value: (kind) => median(coldStarts[kind]),
    ratios: (a, b) => pairedRatios(coldStarts, a, b),
    target: '≤ 1.5×',
  },
  {
    what: 'cold start, CPU until the first 200',
    unit: 'ms',
    value: (kind) => median(coldStartCpu[kind]),
    ratios: (a, b) => pairedRatios(coldStartCpu, a, b),
  },
];

const failures = SCENARIOS.flatMap((scenario) =>
  KINDS.map((kind) => [scenario, kind, total(turns[scenario][kind], (t) => t.failures)] as const),
).filter(([, , count]) => count > 0);

console.log(
  `\n${ROUNDS} interleaved rounds; per round and server: ${COMPARES_PER_ROUND} /pm-compare (${COMPARE_CONCURRENCY} at a time), ` +
    `${ASKERS} askers × ${MENTIONS_PER_ASKER} mentions, ${CLICKERS} people × ${questionsPerQuestionnaire} clicks; ` +
    `${COLD_STARTS} cold starts each.`,
);
console.log(
  '  The click is the app answering a questionnaire question (the answered question updated, the next one posted);\n' +
    '  for the anchors, the same kind of click acked. CPU: the server process, all threads. Figures pool all rounds;\n' +
    "  a ratio is the median of the rounds' own ratios (their range beside it), a cold start's of the start pairs'.\n",
);
const header = [
  'what'.padEnd(42),
  LABEL.app.padStart(10),
  ...(BASELINE ? [LABEL.baseline.padStart(10)] : []),
  LABEL.bolt.padStart(10),
  LABEL.http.padStart(10),
  'app/Bolt'.padStart(9),
  '(rounds)'.padStart(12),
  ...(BASELINE ? ['baseline/Bolt'.padStart(14), 'app/baseline'.padStart(13), '(rounds)'.padStart(12)] : []),
  'Bolt/http'.padStart(10),
  'target'.padStart(8),
];
console.log(`  ${header.join(' ')}`);
for (const row of rows) {
  const cell = (kind: Kind) => `${row.value(kind).toFixed(2)} ${row.unit}`.padStart(10);
  const ratio = (a: Kind, b: Kind, width: number) =>
    `${(row.ratios ? median(row.ratios(a, b)) : row.value(a) / row.value(b)).toFixed(2)}×`.padStart(width);
  const range = (a: Kind, b: Kind) => {
    const ratios = row.ratios?.(a, b) ?? [];
    return ratios.length > 0 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '';
  };
  const cells = [
    row.what.padEnd(42),
    cell('app'),
    ...(BASELINE ? [cell('baseline')] : []),
    cell('bolt'),
    cell('http'),
    ratio('app', 'bolt', 9),
    range('app', 'bolt').padStart(12),
    ...(BASELINE
      ? [ratio('baseline', 'bolt', 14), ratio('app', 'baseline', 13), range('app', 'baseline').padStart(12)]
      : []),
    ratio('bolt', 'http', 10),
    (row.target ?? '').padStart(8),
  ];
  console.log(`  ${cells.join(' ')}`);
}
console.log(
  `\n  cold starts (ms): ${KINDS.map((kind) => `${LABEL[kind]} ${coldStarts[kind].map((ms) => ms.toFixed(0)).join(' ')}`).join('; ')}`,
);
console.log(
  `  click p50 (click sent → next question / ack): ${KINDS.map((kind) => `${LABEL[kind]} ${latencyP50(turns.click[kind]).toFixed(1)} ms`).join(', ')}`,
);
if (failures.length > 0)
  console.log(
    `  failed requests: ${failures.map(([scenario, kind, count]) => `${scenario} ${LABEL[kind]} ${count}`).join(', ')}`,
  );
console.log(`  run time ${((performance.now() - runStarted) / 1000).toFixed(0)} s`);
