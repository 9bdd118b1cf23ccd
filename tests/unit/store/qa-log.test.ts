import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  emptyData,
  parseStoredData,
  QA_LOG_LIMITS,
  QaLogFile,
  type StoredAnswer,
} from '../../../src/store/qa-log.js';
import { manualClock, T0, tickingClock } from '../../helpers/clock.js';
import { storeLogger, tempDataFolder } from '../../helpers/store-logger.js';

const temp = tempDataFolder('pm-advisor-store-');

async function openStore(now?: () => Date): Promise<QaLogFile> {
  const store = await QaLogFile.open(temp.dataFile, storeLogger().logger, now);
  temp.track(store);
  return store;
}

const answerFields = (overrides: Partial<Omit<StoredAnswer, 'at' | 'votes'>> = {}) => ({
  teamId: 'T0TEAM0001',
  channelId: 'C0CHANNEL01',
  userId: 'U0ASKER001',
  question: 'do IT PMs need to code?',
  entryIds: ['technical-background-coding'],
  ...overrides,
});

const unansweredFields = (question: string) => ({
  teamId: 'T0TEAM0001',
  channelId: 'C0CHANNEL01',
  userId: 'U0ASKER001',
  question,
  closestIds: [],
});

describe('QaLogFile.open', () => {
  it('starts empty on a missing file and writes nothing until something changes', async () => {
    const store = await openStore();
    expect(store.data).toEqual(emptyData());
    expect(store.recoveredFrom).toBeUndefined();
    await store.flush();
    expect(existsSync(temp.dataFile)).toBe(false);
  });

  it('moves a file of another version aside and starts empty', async () => {
    await mkdir(path.dirname(temp.dataFile), { recursive: true });
    const foreign = JSON.stringify({ ...emptyData(), version: 2 });
    await writeFile(temp.dataFile, foreign);
    const { logger, errors } = storeLogger();
    const store = await QaLogFile.open(temp.dataFile, logger);
    temp.track(store);
    expect(store.data).toEqual(emptyData());
    expect(store.recoveredFrom).toBeDefined();
    expect(await readFile(store.recoveredFrom ?? '', 'utf8')).toBe(foreign);
    expect(errors).toHaveLength(1);
  });

  it('writes a file that its own schema accepts', async () => {
    const store = await openStore(tickingClock());
    const id = await store.logAnswer(answerFields());
    await store.vote(id, 'U0VOTER0001', 'not_helpful');
    await store.setReason(id, 'U0VOTER0001', 'outdated');
    await store.logUnanswered(unansweredFields('what is the wifi password'));
    await store.flush();
    expect(await QaLogFile.read(temp.dataFile, storeLogger().logger)).toEqual(store.data);
    // Compacted (forgetting someone folds the journal into the snapshot at once): the snapshot alone is the log.
    await store.forget({ teamId: 'T0NOBODY01', userId: 'U0NOBODY01' });
    const written = JSON.parse(await readFile(temp.dataFile, 'utf8'));
    expect(parseStoredData(written)).toEqual(store.data);
  });

  it('records an answer by appending to the journal, however many answers are logged', async () => {
    const store = await openStore(tickingClock());
    for (let index = 0; index < 300; index++) await store.logAnswer(answerFields());
    await store.flush();
    const journal = `${temp.dataFile}.journal`;
    const before = (await stat(journal)).size;
    await store.logAnswer(answerFields());
    await store.flush();
    const grown = (await stat(journal)).size - before;
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(1_000);
  });
});

describe('QaLogFile.logAnswer', () => {
  it('returns a distinct id for every answer, even within the same millisecond', async () => {
    const store = await openStore(() => new Date(T0));
    const ids: string[] = [];
    for (let index = 0; index < 200; index++) ids.push(await store.logAnswer(answerFields()));
    expect(new Set(ids).size).toBe(200);
    expect(Object.keys(store.data.answers)).toHaveLength(200);
  });

  it('stores the answer with the time and no votes', async () => {
    const store = await openStore(() => new Date(T0));
    const id = await store.logAnswer(answerFields({ entryIds: ['pricing-strategy', 'salary-expectations'] }));
    expect(store.data.answers[id]).toEqual({
      ...answerFields({ entryIds: ['pricing-strategy', 'salary-expectations'] }),
      at: new Date(T0).toISOString(),
      votes: {},
    });
  });

  it('truncates a long question to the stored length', async () => {
    const store = await openStore();
    const long = `$'why '.repeat(200)?`;
    const id = await store.logAnswer(answerFields({ question: long }));
    expect(store.data.answers[id]?.question).toBe(long.slice(0, QA_LOG_LIMITS.questionLength));
    const short = await store.logAnswer(answerFields({ question: 'short?' }));
    expect(store.data.answers[short]?.question).toBe('short?');
  });

  it(`keeps at most ${QA_LOG_LIMITS.answers} answers, dropping the oldest`, async () => {
    const store = await openStore(tickingClock());
    const ids: string[] = [];
    for (let index = 0; index < QA_LOG_LIMITS.answers + 2; index++) {
      ids.push(await store.logAnswer(answerFields({ question: `question ${index}` })));
    }
    const kept = Object.keys(store.data.answers);
    expect(kept).toHaveLength(QA_LOG_LIMITS.answers);
    expect(kept).not.toContain(ids[0]);
    expect(kept).not.toContain(ids[1]);
    expect(kept).toContain(ids[2]);
    expect(kept).toContain(ids.at(-1));
    expect(await store.vote(ids[0] ?? '', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
  });

  it('keeps answers and votes across a restart', async () => {
    const first = await openStore();
    const id = await first.logAnswer(answerFields());
    await first.vote(id, 'U0VOTER0001', 'helpful');
    await first.flush();
    const second = await openStore();
    expect(second.data.answers[id]?.votes.U0VOTER0001?.vote).toBe('helpful');
    expect(await second.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'helpful' });
  });
});

describe('QaLogFile.vote', () => {
  it('takes one vote per person per answer; a second vote replaces the first and reports it', async () => {
    const store = await openStore();
    const id = await store.logAnswer(answerFields());
    expect(await store.vote(id, 'U0VOTER0001', 'helpful')).toEqual({ previous: undefined });
    expect(await store.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'helpful' });
    expect(await store.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'not_helpful' });
    const votes = store.data.answers[id]?.votes ?? {};
    expect(Object.keys(votes)).toEqual(['U0VOTER0001']);
    expect(votes.U0VOTER0001?.vote).toBe('not_helpful');
  });

  it('keeps the votes of different people apart, and of different answers apart', async () => {
    const store = await openStore();
    const first = await store.logAnswer(answerFields());
    const second = await store.logAnswer(answerFields());
    await store.vote(first, 'U0VOTER0001', 'helpful');
    await store.vote(first, 'U0VOTER0002', 'not_helpful');
    expect(await store.vote(second, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: undefined });
    expect(store.data.answers[first]?.votes.U0VOTER0001?.vote).toBe('helpful');
    expect(store.data.answers[first]?.votes.U0VOTER0002?.vote).toBe('not_helpful');
    expect(store.data.answers[second]?.votes.U0VOTER0001?.vote).toBe('not_helpful');
  });

  it("says 'unknown-answer' for an answer id it does not have", async () => {
    const store = await openStore();
    await store.logAnswer(answerFields());
    expect(await store.vote('a-no-such-answer', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
    expect(await store.vote('', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
  });

  // Regression: QaLogFile.vote (src/store/qa-log.ts) looks the id up with
  // `this.file.data.answers[answerId]` on a plain object, so a button value of "constructor" or "__proto__"
  // finds an inherited property instead of nothing and `answer.votes[userId]` throws a TypeError.
  // Expected 'unknown-answer'.
  it.each(['constructor', '__proto__', 'toString'])(
    "says 'unknown-answer' for the inherited property name %j",
    async (answerId) => {
      const store = await openStore();
      expect(await store.vote(answerId, 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
    },
  );

  it('dates the vote from the injected clock', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const id = await store.logAnswer(answerFields());
    clock.advance(60_000);
    await store.vote(id, 'U0VOTER0001', 'helpful');
    expect(store.data.answers[id]?.votes.U0VOTER0001?.at).toBe(new Date(T0 + 60_000).toISOString());
  });
});

describe('QaLogFile.setReason', () => {
  it("records the reason on the voter's own not-helpful vote", async () => {
    const store = await openStore();
    const id = await store.logAnswer(answerFields());
    await store.vote(id, 'U0VOTER0001', 'not_helpful');
    expect(await store.setReason(id, 'U0VOTER0001', 'outdated')).toBe(true);
    expect(store.data.answers[id]?.votes.U0VOTER0001?.reason).toBe('outdated');
    expect(await store.setReason(id, 'U0VOTER0001', 'off-topic')).toBe(true);
    expect(store.data.answers[id]?.votes.U0VOTER0001?.reason).toBe('off-topic');
  });

  it('refuses a reason for a helpful vote, for someone who did not vote, and for an unknown answer', async () => {
    const store = await openStore();
    const id = await store.logAnswer(answerFields());
    await store.vote(id, 'U0VOTER0001', 'helpful');
    await store.vote(id, 'U0VOTER0002', 'not_helpful');
    expect(await store.setReason(id, 'U0VOTER0001', 'wrong')).toBe(false);
    expect(await store.setReason(id, 'U0VOTER0003', 'wrong')).toBe(false);
    expect(await store.setReason('a-no-such-answer', 'U0VOTER0002', 'wrong')).toBe(false);
    const votes = store.data.answers[id]?.votes ?? {};
    expect(votes.U0VOTER0001?.reason).toBeUndefined();
    expect(votes.U0VOTER0002?.reason).toBeUndefined();
    expect(votes.U0VOTER0003).toBeUndefined();
  });

  it('drops the reason when the voter changes to helpful', async () => {
    const store = await openStore();
    const id = await store.logAnswer(answerFields());
    await store.vote(id, 'U0VOTER0001', 'not_helpful');
    await store.setReason(id, 'U0VOTER0001', 'wrong');
    await store.vote(id, 'U0VOTER0001', 'helpful');
    expect(store.data.answers[id]?.votes.U0VOTER0001).toEqual({ vote: 'helpful', at: expect.any(String) });
    expect(await store.setReason(id, 'U0VOTER0001', 'wrong')).toBe(false);
  });
});

describe('QaLogFile.logUnanswered', () => {
  it('stores the question with the time and truncates a long one', async () => {
    const store = await openStore(() => new Date(T0));
    await store.logUnanswered({ ...unansweredFields('x'.repeat(900)), closestIds: ['what-is-it-pm'] });
    expect(store.data.unanswered).toEqual([
      {
        ...unansweredFields('x'.repeat(QA_LOG_LIMITS.questionLength)),
        closestIds: ['what-is-it-pm'],
        at: new Date(T0).toISOString(),
      },
    ]);
  });

  it(`keeps at most ${QA_LOG_LIMITS.unanswered} questions, dropping the oldest`, async () => {
    const store = await openStore(tickingClock());
    const total = QA_LOG_LIMITS.unanswered + 3;
    for (let index = 0; index < total; index++)
      await store.logUnanswered(unansweredFields(`question ${index}`));
    const list = store.data.unanswered;
    expect(list).toHaveLength(QA_LOG_LIMITS.unanswered);
    expect(list[0]?.question).toBe('question 3');
    expect(list.at(-1)?.question).toBe(`question ${total - 1}`);
  });
});
