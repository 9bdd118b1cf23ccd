import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import { dmChannelOf } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/**
 * `npm run bench:fault`: one channel is rate-limited while everyone else keeps talking.
 *
 * The built app runs in HTTP mode against the Web API stand-in on loopback. In the fault rounds every Web API call
 * for one channel (chat.postMessage, chat.update, …) is answered HTTP 429 with `Retry-After: 20`, for the whole
 * round; every other channel is answered normally. People mention the bot in several channels and DM it questions,
 * each asking again a moment after their answer arrives; a few people keep mentioning it in the limited channel.
 * For the healthy channels it prints the time from sending the event to the stand-in receiving the reply (count,
 * p50, p99, max) and PASS/FAIL against "p99 under 1 s"; for the limited channel, whether its people were told
 * (the answer by DM instead) and how many calls the app made to that channel.
 *
 * Rounds: a control with no 429; the fault; and, as the anchor, the fault against the Web API client as it comes
 * (it pauses its one queue, for everyone, for the whole Retry-After: bench/fault-stock-app.ts). Prints figures
 * only; the exit code is 0 either way.
 */
/** Longer than the Retry-After, so the fault round shows how often the limited channel is called again. */
const ROUND_MS = Number(process.env.BENCH_FAULT_SECONDS ?? 22) * 1000;
/** Questions of each kind asked (and answered) before a round's clock and its rate limit start; not counted. */
const WARMUP_QUESTIONS = 20;
const CHANNELS = Number(process.env.BENCH_FAULT_CHANNELS ?? 8);
const PEOPLE_PER_CHANNEL = 3;
const DM_PEOPLE = Number(process.env.BENCH_FAULT_DM_PEOPLE ?? 16);
const LIMITED_PEOPLE = 5;
/** Each person waits between these many ms after an answer before asking again. */
const THINK_MS: [number, number] = [300, 900];
const RETRY_AFTER_SECONDS = 20;
/** How long one person waits for an answer before giving up (and asking nothing more). */
const REPLY_TIMEOUT_MS = Number(process.env.BENCH_FAULT_REPLY_TIMEOUT_SECONDS ?? 25) * 1000;
const TARGET_P99_MS = 1_000;
const STOCK = process.env.BENCH_FAULT_STOCK !== '0';
const SECRET = 'bench-fault-signing-secret-0123456789';
const LIMITED_CHANNEL = 'C0LIMITED1';
const W = BENCH_WORKSPACE;

/** Questions the knowledge answers, asked in turn (none of them starts the questionnaire). */
const QUESTIONS = [
  'what is voice of the customer?',
  'do I need to code to be an IT product manager?',
  'how is a tech pm different from a normal product manager?',
  'who does competitive analysis?',
  'what does an it pm do day to day?',
  'how do regulated industries affect product managers?',
  'what is a product roadmap?',
  'how much do IT PMs make compared to PMs?',
];

const standIn = await SlackApiStandIn.start(W);
const payloads = slackPayloads(W);

/** Who waits for a reply where: `<channel> <thread ts>` (a mention) or `<channel> ` (a DM). */
const waiting = new Map<string, (receivedAt: number) => void>();
standIn.api.onDelivery((delivery) => {
  if (delivery.kind !== 'message' || delivery.updated) return;
  const { message } = delivery;
  const key = `${message.channel} ${message.threadTs ?? ''}`;
  const wake = waiting.get(key);
  if (!wake) return;
  // In the DM of someone who asked in the limited channel, only the answer sent there instead counts.
  if (message.channel.startsWith('D') && waitingForFallback.has(key) && !isFallback(message.text)) return;
  waiting.delete(key);
  wake(performance.now());
});
const waitingForFallback = new Set<string>();
const isFallback = (text: string) => text.startsWith("I couldn't post my answer in");

let callsToLimited = 0;
standIn.api.onCall((_method, params) => {
  if (params.channel === LIMITED_CHANNEL) callsToLimited++;
});

/** Plain node:http with kept-alive connections: cheap per request, so the load generator stays light. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function send(url: string, payload: object): Promise<number> {
  const { body, headers } = signedSlackRequest(SECRET, payload);
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', () => resolve(0));
    outgoing.end(body);
  });
}

function startApp(entry: string, dataFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist', entry)], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
      DATA_FILE: dataFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      if (output.length > 100_000) return;
      output += chunk.toString();
      const port = /listening in HTTP mode on port (\d+)/.exec(output)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}/slack/events` });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new Error(`the app exited before it listened:\n${output}`)));
  });
}

interface Tally {
  /** Time from sending the event to the stand-in receiving the reply, ms (healthy channels and DMs). */
  healthy: number[];
  healthyUnanswered: number;
  /** Mentions sent in the limited channel after the warm-up, and how long until the asker was told by DM. */
  limitedAsked: number;
  limitedTold: number[];
  limitedUntold: number;
  /** Requests the app did not take (no 200). */
  refused: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const think = () => sleep(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));

type Kind = 'channel' | 'dm' | 'limited';

/** One person asking again and again until the round ends; each answer awaited before the next question. */
async function person(
  url: string,
  kind: Kind,
  userId: string,
  channel: string,
  round: { endsAt: number },
  tally: Tally,
): Promise<void> {
  let asked = Math.floor(Math.random() * QUESTIONS.length);
  while (performance.now() < round.endsAt) {
    await think();
    const ok = await ask(url, kind, userId, channel, QUESTIONS[asked++ % QUESTIONS.length] ?? '', tally);
    // Someone never answered stops asking: a late reply must not be taken for the answer to their next question.
    if (!ok) return;
  }
}

/** Asks once and waits for the reply; tallied unless `tally` is undefined (the warm-up). False: no reply came. */
async function ask(
  url: string,
  kind: Kind,
  userId: string,
  channel: string,
  question: string,
  tally: Tally | undefined,
): Promise<boolean> {
  let key: string;
  let payload: object;
  if (kind === 'dm') {
    const dm = dmChannelOf(W, userId);
    const message = standIn.api.recordPersonMessage(dm, question, { userId });
    payload = payloads.eventCallback(payloads.directMessage(messageEventFields(message)));
    key = `${dm} `;
  } else {
    const text = `<@${W.botUserId}> ${question}`;
    const message = standIn.api.recordPersonMessage(channel, text, { userId });
    payload = payloads.eventCallback(payloads.appMention({ channel, user: userId, ts: message.ts, text }));
    key = kind === 'limited' ? `${dmChannelOf(W, userId)} ` : `${channel} ${message.ts}`;
    if (kind === 'limited') waitingForFallback.add(key);
  }
  const started = performance.now();
  const replied = new Promise<number | undefined>((resolve) => {
    waiting.set(key, resolve);
    setTimeout(() => resolve(undefined), REPLY_TIMEOUT_MS).unref();
  });
  const status = await send(url, payload);
  const receivedAt = await replied;
  waiting.delete(key);
  waitingForFallback.delete(key);
  if (!tally) return receivedAt !== undefined;
  if (status !== 200) tally.refused++;
  if (kind === 'limited') {
    tally.limitedAsked++;
    if (receivedAt === undefined) tally.limitedUntold++;
    else tally.limitedTold.push(receivedAt - started);
  } else if (receivedAt === undefined) tally.healthyUnanswered++;
  else tally.healthy.push(receivedAt - started);
  return receivedAt !== undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${Math.round(value).toLocaleString('en')} ms`);

function summary(samples: number[]): { line: string; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  return {
    line: `n=${sorted.length.toLocaleString('en')}, p50 ${ms(percentile(sorted, 50))}, p99 ${ms(p99)}, max ${ms(sorted.at(-1) ?? Number.NaN)}`,
    p99,
  };
}

async function round(name: string, entry: string, limited: boolean): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-fault-'));
  standIn.api.liftRateLimit(LIMITED_CHANNEL);
  const { child, url } = await startApp(entry, path.join(folder, 'db.json'));
  // Warm-up, not counted: a few questions of each kind, before the limit and the clock start.
  for (let n = 0; n < WARMUP_QUESTIONS; n++)
    await Promise.all([
      ask(url, 'channel', 'U0FWARM1', 'C0FWARM1', QUESTIONS[n % QUESTIONS.length] ?? '', undefined),
      ask(url, 'dm', 'U0FWARM2', '', QUESTIONS[n % QUESTIONS.length] ?? '', undefined),
      ask(url, 'channel', 'U0FWARM3', LIMITED_CHANNEL, QUESTIONS[n % QUESTIONS.length] ?? '', undefined),
    ]);
  if (limited) standIn.api.rateLimit(LIMITED_CHANNEL, RETRY_AFTER_SECONDS);
  callsToLimited = 0;
  const tally: Tally = {
    healthy: [],
    healthyUnanswered: 0,
    limitedAsked: 0,
    limitedTold: [],
    limitedUntold: 0,
    refused: 0,
  };
  const startedAt = performance.now();
  const timing = { endsAt: startedAt + ROUND_MS };
  const people: Promise<void>[] = [];
  for (let c = 0; c < CHANNELS; c++)
    for (let p = 0; p < PEOPLE_PER_CHANNEL; p++)
      people.push(person(url, 'channel', `U0FC${c}P${p}`, `C0FAULT${c}`, timing, tally));
  for (let p = 0; p < DM_PEOPLE; p++) people.push(person(url, 'dm', `U0FD${p}`, '', timing, tally));
  if (limited)
    for (let p = 0; p < LIMITED_PEOPLE; p++)
      people.push(person(url, 'limited', `U0FL${p}`, LIMITED_CHANNEL, timing, tally));
  await Promise.all(people);
  const elapsed = (performance.now() - startedAt) / 1000;
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(folder, { recursive: true, force: true });
  waiting.clear();
  waitingForFallback.clear();

  const healthy = summary(tally.healthy);
  const asked = tally.healthy.length + tally.healthyUnanswered;
  console.log(
    `\n${name} (machine load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs)`,
  );
  console.log(
    `  healthy channels and DMs (${CHANNELS} channels × ${PEOPLE_PER_CHANNEL} people, ${DM_PEOPLE} in DMs; ` +
      `${(asked / elapsed).toFixed(0)} questions/s): ${healthy.line}` +
      (tally.healthyUnanswered > 0
        ? `, ${tally.healthyUnanswered} not answered within ${REPLY_TIMEOUT_MS / 1000} s`
        : ''),
  );
  if (limited) {
    const told = summary(tally.limitedTold);
    console.log(
      `  ${LIMITED_CHANNEL} (429, Retry-After: ${RETRY_AFTER_SECONDS}, ${LIMITED_PEOPLE} people): ${tally.limitedAsked} mentions, ` +
        `${tally.limitedTold.length} told by DM instead (${told.line}), ${tally.limitedUntold} not told within ${REPLY_TIMEOUT_MS / 1000} s`,
    );
    console.log(
      `  calls the app made to ${LIMITED_CHANNEL}: ${callsToLimited} (${standIn.api.rateLimitedCalls(LIMITED_CHANNEL)} answered 429) ` +
        `over ${elapsed.toFixed(1)} s, ${(callsToLimited / Math.max(1, tally.limitedAsked)).toFixed(2)} per mention`,
    );
  }
  if (tally.refused > 0) console.log(`  requests the app did not take: ${tally.refused}`);
  const verdict = healthy.p99 < TARGET_P99_MS && tally.healthyUnanswered === 0 ? 'PASS' : 'FAIL';
  console.log(`  healthy reply p99 under ${ms(TARGET_P99_MS)}: ${verdict}`);
}

console.log(
  `bench:fault: ${ROUND_MS / 1000} s rounds after ${WARMUP_QUESTIONS} warm-up questions of each kind; ` +
    `each person asks again ${THINK_MS[0]}–${THINK_MS[1]} ms after their answer arrives`,
);
await round('control: no 429', path.join('src', 'index.js'), false);
await round(
  `fault: every call for ${LIMITED_CHANNEL} answered 429 (Retry-After: ${RETRY_AFTER_SECONDS})`,
  path.join('src', 'index.js'),
  true,
);
if (STOCK)
  await round(
    'anchor: the same fault, the Web API client as it comes (pauses its queue on a 429)',
    path.join('bench', 'fault-stock-app.js'),
    true,
  );
agent.destroy();
await standIn.close();
