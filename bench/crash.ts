import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personKey } from '../src/advisor/person.js';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import { dmChannelOf, type KeptMessage } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { QA_HELPFUL_ACTION, QUESTIONNAIRE_ANSWER_ACTION } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { openDataStores } from '../src/store/data-stores.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/**
 * `npm run bench:crash`: the built app in HTTP mode; people answer the questionnaire as fast as Slack lets them
 * while others ask in channels and vote on the answers; `kill -9` comes at random moments (and right after an
 * answer). After each kill the data files are opened as the next start would open them, and checked against
 * what people were shown before the kill: every answer confirmed (the next question or the result arrived) is
 * stored, every result shown is stored once, every vote confirmed ("Thanks! Your vote was recorded") is stored.
 * Prints tried / held / lost / duplicated. Target: 0 lost, 0 duplicated.
 */
const RANDOM_KILLS = Number(process.env.BENCH_RANDOM_KILLS ?? 50);
const KILLS_AFTER_ANSWER = Number(process.env.BENCH_KILLS_AFTER_ANSWER ?? 20);
const PEOPLE = Number(process.env.BENCH_CRASH_PEOPLE ?? 20);
/** People asking a question in a channel and voting 👍 on the answer, again and again, beside them. */
const VOTERS = Number(process.env.BENCH_CRASH_VOTERS ?? 5);
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
/** Per channel, what someone waits to see next there, and who is woken when it comes. */
const waiting = new Map<
  string,
  { wanted: (message: KeptMessage) => boolean; wake: (message: KeptMessage) => void }
>();
standIn.api.onDelivery((delivery) => {
  if (delivery.kind !== 'message') return;
  const waiter = waiting.get(delivery.message.channel);
  if (!waiter || !waiter.wanted(delivery.message)) return;
  waiting.delete(delivery.message.channel);
  waiter.wake(delivery.message);
});

function nextIn(channel: string, wanted: (message: KeptMessage) => boolean): Promise<KeptMessage> {
  return new Promise((wake) => waiting.set(channel, { wanted, wake }));
}

const isResult = (message: KeptMessage) => message.text.startsWith('Your result');

function answerIds(message: KeptMessage): string[] {
  return message.blocks
    .flatMap((block) => block.elements ?? [])
    .flatMap((element) => element.action_id ?? [])
    .filter((id) => id.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
}

/** The next question or the result in a person's DM (an answered question is only updated: not that). */
async function next(channel: string): Promise<KeptMessage | 'result'> {
  const message = await nextIn(channel, (m) => isResult(m) || answerIds(m).length > 0);
  return isResult(message) ? 'result' : message;
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

interface Voter {
  userId: string;
  channel: string;
  /** Answers whose 👍 the voter saw confirmed. */
  confirmed: string[];
}

/** Asks in a channel, votes 👍 on the answer and waits for the confirmation, until the app dies. */
async function askAndVote(url: string, voter: Voter, alive: () => boolean) {
  for (let asked = 0; alive(); asked++) {
    const answered = nextIn(voter.channel, (m) => m.blocks.some((block) => block.block_id === 'qa-feedback'));
    const ts = standIn.api.recordPersonMessage(voter.channel, 'what is voice of the customer?', {
      userId: voter.userId,
    }).ts;
    await send(
      url,
      payloads.eventCallback(
        payloads.appMention({
          channel: voter.channel,
          user: voter.userId,
          ts,
          text: 'what is voice of the customer?',
        }),
      ),
    );
    const answer = await Promise.race([answered, dead(alive)]);
    if (!answer) return;
    const feedback = answer.blocks.find((block) => block.block_id === 'qa-feedback');
    const answerId = (feedback?.elements?.[0] as { value?: string } | undefined)?.value ?? '';
    const confirmed = nextIn(
      voter.channel,
      (m) => m.visibleTo === voter.userId && m.text.startsWith('Thanks!'),
    );
    await send(
      url,
      payloads.buttonClick(
        { action_id: QA_HELPFUL_ACTION, value: answerId },
        {
          message: answer,
          user: voter.userId,
          responseUrl: standIn.api.createResponseUrl({
            channel: voter.channel,
            userId: voter.userId,
            source: answer,
          }),
        },
      ),
    );
    if (!(await Promise.race([confirmed, dead(alive)]))) return;
    voter.confirmed.push(answerId);
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
  votesConfirmed: 0,
  lostVotes: 0,
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
  const voters: Voter[] = Array.from({ length: VOTERS }, (_, n) => ({
    userId: `U0V${index}P${n}`,
    channel: `C0V${index}P${n}`,
    confirmed: [],
  }));
  const kill = () => child.kill('SIGKILL');
  let confirmations = 0;
  // A random moment within a questionnaire's length, or 0–100 ms after an answer was confirmed part way through.
  const killAt = Math.floor(Math.random() * PEOPLE * 8) + 1;
  if (!killAfterAnswer) setTimeout(kill, Math.random() * 2_500);
  const voting = Promise.all(voters.map((voter) => askAndVote(url, voter, () => alive)));
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
  await voting;
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
    for (const voter of voters) {
      tally.votesConfirmed += voter.confirmed.length;
      for (const answerId of voter.confirmed) {
        const answer = Object.hasOwn(stores.qaLog.data.answers, answerId)
          ? stores.qaLog.data.answers[answerId]
          : undefined;
        if (answer?.votes[voter.userId]?.vote === 'helpful') continue;
        tally.lostVotes++;
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
  `kill -9 under load (${PEOPLE} people answering the questionnaire, ${VOTERS} asking and voting; ` +
    `${RANDOM_KILLS} at random moments, ` +
    `${KILLS_AFTER_ANSWER} at 0–100 ms after a confirmed answer)\n` +
    `  before the kills: ${tally.confirmed} answers confirmed, ${tally.resultsShown} results shown, ${tally.votesConfirmed} votes confirmed\n` +
    `  tried ${tally.tried}, held ${tally.held}; lost answers ${tally.lostAnswers}, lost results ${tally.lostResults}, ` +
    `lost votes ${tally.lostVotes}, duplicated results ${tally.duplicated}, unreadable files ${tally.unreadable}`,
);
process.exit(
  tally.lostAnswers + tally.lostResults + tally.lostVotes + tally.duplicated + tally.unreadable > 0 ? 1 : 0,
);
