import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personKey } from '../src/advisor/person.js';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import { dmChannelOf, type KeptMessage } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { QUESTIONNAIRE_ANSWER_ACTION } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { openDataStores } from '../src/store/data-stores.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/**
 * `npm run bench:crash`: the built app in HTTP mode, people answering the questionnaire as fast as Slack lets
 * them, and `kill -9` at random moments (and right after an answer). After each kill the data files are opened
 * as the next start would open them, and checked against what the people were shown before the kill: every
 * answer confirmed (the next question or the result arrived) must be stored, every result shown stored once.
 * Prints tried / held / lost / duplicated. Target: 0 lost, 0 duplicated.
 */
const RANDOM_KILLS = Number(process.env.BENCH_RANDOM_KILLS ?? 50);
const KILLS_AFTER_ANSWER = Number(process.env.BENCH_KILLS_AFTER_ANSWER ?? 20);
const PEOPLE = Number(process.env.BENCH_CRASH_PEOPLE ?? 20);
const SECRET = 'bench-crash-signing-secret-0123456789';

interface Person {
  userId: string;
  channel: string;
  /** Answers the person saw taken (the next question or the result came back). */
  confirmed: number;
  resultShown: boolean;
}

const standIn = await SlackApiStandIn.start(BENCH_WORKSPACE);
const payloads = slackPayloads(BENCH_WORKSPACE);
const waiting = new Map<string, (message: KeptMessage | 'result') => void>();
standIn.api.onDelivery((delivery) => {
  if (delivery.kind !== 'message' || delivery.updated) return;
  const wake = waiting.get(delivery.message.channel);
  if (!wake) return;
  if (delivery.message.text.startsWith('Your result')) wake('result');
  else if (answerIds(delivery.message).length > 0) wake(delivery.message);
  else return;
  waiting.delete(delivery.message.channel);
});

function answerIds(message: KeptMessage): string[] {
  return message.blocks
    .flatMap((block) => block.elements ?? [])
    .flatMap((element) => element.action_id ?? [])
    .filter((id) => id.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
}

function next(channel: string): Promise<KeptMessage | 'result'> {
  return new Promise((resolve) => waiting.set(channel, resolve));
}

async function send(url: string, payload: object): Promise<void> {
  const { body, headers } = signedSlackRequest(SECRET, payload);
  await fetch(url, { method: 'POST', headers, body }).catch(() => undefined);
}

function startApp(dataFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist', 'src', 'index.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
      SLACK_API_RETRIES: '0',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATA_FILE: dataFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening in HTTP mode on port (\d+)/.exec(output)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}/slack/events` });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new Error(`the app exited before it listened:\n${output}`)));
  });
}

/** One person answering every question at once, until the result or the app's death. */
async function answerAll(url: string, person: Person, alive: () => boolean, onConfirmed: () => void) {
  const first = next(person.channel);
  const start = standIn.api.recordPersonMessage(person.channel, 'start', { userId: person.userId });
  await send(url, payloads.eventCallback(payloads.directMessage(messageEventFields(start))));
  let shown = await Promise.race([first, dead(alive)]);
  for (let step = 0; shown && shown !== 'result'; step++) {
    const ids = answerIds(shown);
    const arrived = next(person.channel);
    await send(
      url,
      payloads.buttonClick(
        { action_id: ids[step % ids.length] ?? '' },
        {
          message: shown,
          user: person.userId,
          responseUrl: standIn.api.createResponseUrl({
            channel: person.channel,
            userId: person.userId,
            source: shown,
          }),
        },
      ),
    );
    shown = await Promise.race([arrived, dead(alive)]);
    if (!shown) break;
    person.confirmed++;
    if (shown === 'result') person.resultShown = true;
    onConfirmed();
  }
}

/** Resolves undefined once the app is gone (checked every few ms). */
function dead(alive: () => boolean): Promise<undefined> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (alive()) return;
      clearInterval(timer);
      resolve(undefined);
    }, 5);
  });
}

const tally = {
  tried: 0,
  held: 0,
  confirmed: 0,
  resultsShown: 0,
  lostAnswers: 0,
  lostResults: 0,
  duplicated: 0,
  unreadable: 0,
};

async function round(index: number, killAfterAnswer: boolean): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-crash-'));
  const dataFile = path.join(folder, 'db.json');
  const { child, url } = await startApp(dataFile);
  let alive = true;
  child.on('exit', () => {
    alive = false;
  });
  const people: Person[] = Array.from({ length: PEOPLE }, (_, n) => {
    const userId = `U0C${index}P${n}`;
    return { userId, channel: dmChannelOf(BENCH_WORKSPACE, userId), confirmed: 0, resultShown: false };
  });
  const kill = () => child.kill('SIGKILL');
  let confirmations = 0;
  // A random moment within a questionnaire's length, or 0–100 ms after an answer was confirmed part way through.
  const killAt = Math.floor(Math.random() * PEOPLE * 8) + 1;
  if (!killAfterAnswer) setTimeout(kill, Math.random() * 2_500);
  await Promise.all(
    people.map((person) =>
      answerAll(
        url,
        person,
        () => alive,
        () => {
          if (killAfterAnswer && ++confirmations === killAt) setTimeout(kill, Math.random() * 100);
        },
      ),
    ),
  );
  if (alive) kill();
  while (alive) await new Promise((resolve) => setTimeout(resolve, 5));
  waiting.clear();

  tally.tried++;
  tally.confirmed += people.reduce((sum, person) => sum + person.confirmed, 0);
  tally.resultsShown += people.filter((person) => person.resultShown).length;
  let held = true;
  try {
    const stores = await openDataStores(dataFile, { warn: () => undefined, error: () => undefined });
    if (stores.questionnaires.recovered.length > 0 || stores.qaLog.recoveredFrom) tally.unreadable++;
    for (const person of people) {
      const key = personKey({ teamId: BENCH_WORKSPACE.teamId, userId: person.userId });
      const session = await stores.questionnaires.getSession(key);
      const results = await stores.questionnaires.results(key);
      if (results.length > 1) {
        tally.duplicated++;
        held = false;
      }
      if (person.resultShown && results.length === 0) {
        tally.lostResults++;
        held = false;
      }
      const stored =
        results.length > 0 ? Number.POSITIVE_INFINITY : Object.keys(session?.answers ?? {}).length;
      if (!person.resultShown && stored < person.confirmed) {
        tally.lostAnswers += person.confirmed - stored;
        held = false;
      }
    }
  } catch {
    tally.unreadable++;
    held = false;
  }
  if (held) tally.held++;
  await rm(folder, { recursive: true, force: true });
}

for (let index = 0; index < RANDOM_KILLS + KILLS_AFTER_ANSWER; index++)
  await round(index, index >= RANDOM_KILLS);
await standIn.close();
console.log(
  `kill -9 under load (${PEOPLE} people answering the questionnaire; ${RANDOM_KILLS} at random moments, ` +
    `${KILLS_AFTER_ANSWER} at 0–100 ms after a confirmed answer)\n` +
    `  before the kills: ${tally.confirmed} answers confirmed, ${tally.resultsShown} results shown\n` +
    `  tried ${tally.tried}, held ${tally.held}; lost answers ${tally.lostAnswers}, lost results ${tally.lostResults}, ` +
    `duplicated results ${tally.duplicated}, unreadable files ${tally.unreadable}`,
);
process.exit(tally.lostAnswers + tally.lostResults + tally.duplicated + tally.unreadable > 0 ? 1 : 0);
