import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personKey } from '../src/advisor/person.js';
import { dmChannelOf } from '../src/local/slack-workspace.js';
import { QA_HELPFUL_ACTION } from '../src/slack-ids.js';
import { openDataStores } from '../src/store/data-stores.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';
import { dead, type QuestionnairePerson, SlackSide } from './slack-side.js';

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

const slack = await SlackSide.start(SECRET);
const { standIn, payloads } = slack;
const nextIn = slack.nextIn.bind(slack);
const send = slack.send.bind(slack);

interface Voter {
  userId: string;
  channel: string;
  /** Answers whose 👍 the voter saw confirmed. */
  confirmed: string[];
  /** The last question asked, as Slack delivered it, and whether its answer was seen before the kill. */
  lastMention?: object;
  lastAnswered: boolean;
}

/** Asks in a channel, votes 👍 on the answer and waits for the confirmation, until the app dies. */
async function askAndVote(url: string, voter: Voter, alive: () => boolean) {
  while (alive()) {
    const answered = nextIn(voter.channel, (m) => m.blocks.some((block) => block.block_id === 'qa-feedback'));
    const ts = standIn.api.recordPersonMessage(voter.channel, 'what is voice of the customer?', {
      userId: voter.userId,
    }).ts;
    voter.lastMention = payloads.eventCallback(
      payloads.appMention({
        channel: voter.channel,
        user: voter.userId,
        ts,
        text: 'what is voice of the customer?',
      }),
    );
    voter.lastAnswered = false;
    await send(url, voter.lastMention);
    const answer = await Promise.race([answered, dead(alive)]);
    if (!answer) return;
    voter.lastAnswered = true;
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
  redelivered: 0,
  answeredTwice: 0,
};

/** How long a redelivered event gets to be (wrongly) answered again. */
const REDELIVERY_WAIT_MS = 1_500;

/**
 * Slack delivers again an event it has no ack for: the app restarted on the same data gets each voter's last
 * question again (same event id). One already answered before the kill must not be answered a second time.
 */
async function redeliver(dataFile: string, voters: Voter[]): Promise<boolean> {
  const answered = voters.filter((voter) => voter.lastAnswered && voter.lastMention);
  if (answered.length === 0) return true;
  const { child, url } = await slack.startApp(dataFile);
  let twice = 0;
  await Promise.all(
    answered.map(async (voter) => {
      const again = nextIn(voter.channel, (m) => m.blocks.some((block) => block.block_id === 'qa-feedback'));
      await send(url, voter.lastMention ?? {});
      const timeout = new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), REDELIVERY_WAIT_MS),
      );
      if (await Promise.race([again, timeout])) twice++;
    }),
  );
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  slack.reset();
  tally.redelivered += answered.length;
  tally.answeredTwice += twice;
  return twice === 0;
}

async function round(index: number, killAfterAnswer: boolean): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-crash-'));
  const dataFile = path.join(folder, 'db.json');
  const { child, url } = await slack.startApp(dataFile);
  let alive = true;
  child.on('exit', () => {
    alive = false;
  });
  const people: QuestionnairePerson[] = Array.from({ length: PEOPLE }, (_, n) => {
    const userId = `U0C${index}P${n}`;
    return { userId, channel: dmChannelOf(BENCH_WORKSPACE, userId), confirmed: 0, resultShown: false };
  });
  const voters: Voter[] = Array.from({ length: VOTERS }, (_, n) => ({
    userId: `U0V${index}P${n}`,
    channel: `C0V${index}P${n}`,
    confirmed: [],
    lastAnswered: false,
  }));
  const kill = () => child.kill('SIGKILL');
  let confirmations = 0;
  // A random moment within a questionnaire's length, or 0–100 ms after an answer was confirmed part way through.
  const killAt = Math.floor(Math.random() * PEOPLE * 8) + 1;
  if (!killAfterAnswer) setTimeout(kill, Math.random() * 2_500);
  const voting = Promise.all(voters.map((voter) => askAndVote(url, voter, () => alive)));
  await Promise.all(
    people.map((person) =>
      slack.answerAll(
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
  slack.reset();

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
  if (!(await redeliver(dataFile, voters))) held = false;
  if (held) tally.held++;
  await rm(folder, { recursive: true, force: true });
}

for (let index = 0; index < RANDOM_KILLS + KILLS_AFTER_ANSWER; index++)
  await round(index, index >= RANDOM_KILLS);
await slack.close();
console.log(
  `kill -9 under load (${PEOPLE} people answering the questionnaire, ${VOTERS} asking and voting; ` +
    `${RANDOM_KILLS} at random moments, ` +
    `${KILLS_AFTER_ANSWER} at 0–100 ms after a confirmed answer)\n` +
    `  before the kills: ${tally.confirmed} answers confirmed, ${tally.resultsShown} results shown, ${tally.votesConfirmed} votes confirmed\n` +
    `  tried ${tally.tried}, held ${tally.held}; lost answers ${tally.lostAnswers}, lost results ${tally.lostResults}, ` +
    `lost votes ${tally.lostVotes}, duplicated results ${tally.duplicated}, unreadable files ${tally.unreadable}\n` +
    `  after each restart, Slack redelivered the last question of every voter who had seen its answer: ` +
    `${tally.redelivered} redelivered, ${tally.answeredTwice} answered twice`,
);
process.exit(
  tally.lostAnswers +
    tally.lostResults +
    tally.lostVotes +
    tally.duplicated +
    tally.unreadable +
    tally.answeredTwice >
    0
    ? 1
    : 0,
);
