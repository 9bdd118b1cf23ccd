import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  AdvisorStore,
  emptyData,
  parseStoredData,
  STORE_LIMITS,
  type StoredAnswer,
} from '../../../src/store/advisor-store.js';
import { storeLogger } from '../../helpers/store-logger.js';

const T0 = Date.parse('2025-03-01T09:00:00.000Z');

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let now = start;
  return {
    now: () => new Date(now),
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A clock that moves one millisecond every time it is read, like a busy app. */
function tickingClock(start = T0) {
  let now = start;
  return () => new Date(now++);
}

let dir: string;
let filePath: string;
let opened: AdvisorStore[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pm-advisor-store-'));
  filePath = path.join(dir, 'data', 'db.json');
  opened = [];
});

afterEach(async () => {
  // Write what is pending before the folder goes, so no timer re-creates it.
  await Promise.allSettled(opened.map((store) => store.flush()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(now?: () => Date): Promise<AdvisorStore> {
  const store = await AdvisorStore.open(filePath, storeLogger().logger, now);
  opened.push(store);
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

describe('AdvisorStore.open', () => {
  it('starts empty on a missing file and writes nothing until something changes', async () => {
    const store = await openStore();
    expect(store.data).toEqual(emptyData());
    expect(store.recoveredFrom).toBeUndefined();
    await store.flush();
    expect(existsSync(filePath)).toBe(false);
  });

  it('moves a file of another version aside and starts empty', async () => {
    await mkdir(path.dirname(filePath), { recursive: true });
    const foreign = JSON.stringify({ ...emptyData(), version: 2 });
    await writeFile(filePath, foreign);
    const { logger, errors } = storeLogger();
    const store = await AdvisorStore.open(filePath, logger);
    opened.push(store);
    expect(store.data).toEqual(emptyData());
    expect(store.recoveredFrom).toBeDefined();
    expect(await readFile(store.recoveredFrom ?? '', 'utf8')).toBe(foreign);
    expect(errors).toHaveLength(1);
  });

  it('writes a file that its own schema accepts', async () => {
    const store = await openStore(tickingClock());
    store.claimEvent('Ev0000000001');
    const id = store.recordAnswer(answerFields());
    store.vote(id, 'U0VOTER0001', 'not_helpful');
    store.setReason(id, 'U0VOTER0001', 'outdated');
    store.recordUnanswered(unansweredFields('what is the wifi password'));
    await store.flush();
    const written = JSON.parse(await readFile(filePath, 'utf8'));
    expect(parseStoredData(written)).toEqual(store.data);
  });
});

describe('AdvisorStore.claimEvent', () => {
  it('claims an event id once; a retry or duplicate is refused', async () => {
    const store = await openStore();
    expect(store.claimEvent('Ev0000000001')).toBe(true);
    expect(store.claimEvent('Ev0000000001')).toBe(false);
    expect(store.claimEvent('Ev0000000001')).toBe(false);
    expect(store.claimEvent('Ev0000000002')).toBe(true);
  });

  it('remembers claimed events across a restart', async () => {
    const first = await openStore();
    expect(first.claimEvent('Ev0000000001')).toBe(true);
    await first.flush();
    const second = await openStore();
    expect(second.claimEvent('Ev0000000001')).toBe(false);
    expect(second.claimEvent('Ev0000000002')).toBe(true);
  });

  it('records when each event was claimed, from the injected clock', async () => {
    const store = await openStore(() => new Date(T0));
    store.claimEvent('Ev0000000001');
    expect(store.processedEvents).toEqual({ Ev0000000001: T0 });
  });

  it('prunes events older than the time-to-live, keeping younger ones', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const ttl = STORE_LIMITS.processedEventTtlMs;
    store.claimEvent('EvOLD');
    clock.set(T0 + 1);
    store.claimEvent('EvAT-LIMIT');
    clock.set(T0 + ttl / 2);
    store.claimEvent('EvMIDDLE');
    clock.set(T0 + ttl + 1);
    // Pruning is amortised: it runs at least once every 100 claims.
    for (let index = 0; index < 100; index++) store.claimEvent(`EvNEW${index}`);

    const remaining = Object.keys(store.processedEvents);
    expect(remaining).not.toContain('EvOLD');
    expect(remaining).toContain('EvAT-LIMIT');
    expect(remaining).toContain('EvMIDDLE');
    expect(remaining).toContain('EvNEW99');
    expect(store.claimEvent('EvOLD')).toBe(true);
    expect(store.claimEvent('EvMIDDLE')).toBe(false);
  });

  it('keeps the stored events bounded while events keep arriving', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const step = STORE_LIMITS.processedEventTtlMs / 50;
    for (let index = 0; index < 1_050; index++) {
      store.claimEvent(`Ev${index}`);
      clock.advance(step);
    }
    // At most one TTL's worth of events (50) plus those claimed since the last pruning (100).
    expect(Object.keys(store.processedEvents).length).toBeLessThanOrEqual(151);
  });
});

describe('AdvisorStore.recordAnswer', () => {
  it('returns a distinct id for every answer, even within the same millisecond', async () => {
    const store = await openStore(() => new Date(T0));
    const ids = Array.from({ length: 200 }, () => store.recordAnswer(answerFields()));
    expect(new Set(ids).size).toBe(200);
    expect(Object.keys(store.data.answers)).toHaveLength(200);
  });

  it('stores the answer with the time and no votes', async () => {
    const store = await openStore(() => new Date(T0));
    const id = store.recordAnswer(answerFields({ entryIds: ['pricing-strategy', 'salary-expectations'] }));
    expect(store.data.answers[id]).toEqual({
      ...answerFields({ entryIds: ['pricing-strategy', 'salary-expectations'] }),
      at: new Date(T0).toISOString(),
      votes: {},
    });
  });

  it('truncates a long question to the stored length', async () => {
    const store = await openStore();
    const long = `${'why '.repeat(200)}?`;
    const id = store.recordAnswer(answerFields({ question: long }));
    expect(store.data.answers[id]?.question).toBe(long.slice(0, STORE_LIMITS.questionLength));
    const short = store.recordAnswer(answerFields({ question: 'short?' }));
    expect(store.data.answers[short]?.question).toBe('short?');
  });

  it(`keeps at most ${STORE_LIMITS.answers} answers, dropping the oldest`, async () => {
    const store = await openStore(tickingClock());
    const ids: string[] = [];
    for (let index = 0; index < STORE_LIMITS.answers + 2; index++) {
      ids.push(store.recordAnswer(answerFields({ question: `question ${index}` })));
    }
    const kept = Object.keys(store.data.answers);
    expect(kept).toHaveLength(STORE_LIMITS.answers);
    expect(kept).not.toContain(ids[0]);
    expect(kept).not.toContain(ids[1]);
    expect(kept).toContain(ids[2]);
    expect(kept).toContain(ids.at(-1));
    expect(store.vote(ids[0] ?? '', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
  });

  it('keeps answers and votes across a restart', async () => {
    const first = await openStore();
    const id = first.recordAnswer(answerFields());
    first.vote(id, 'U0VOTER0001', 'helpful');
    await first.flush();
    const second = await openStore();
    expect(second.data.answers[id]?.votes.U0VOTER0001?.vote).toBe('helpful');
    expect(second.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'helpful' });
  });
});

describe('AdvisorStore.vote', () => {
  it('takes one vote per person per answer; a second vote replaces the first and reports it', async () => {
    const store = await openStore();
    const id = store.recordAnswer(answerFields());
    expect(store.vote(id, 'U0VOTER0001', 'helpful')).toEqual({ previous: undefined });
    expect(store.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'helpful' });
    expect(store.vote(id, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: 'not_helpful' });
    const votes = store.data.answers[id]?.votes ?? {};
    expect(Object.keys(votes)).toEqual(['U0VOTER0001']);
    expect(votes.U0VOTER0001?.vote).toBe('not_helpful');
  });

  it('keeps the votes of different people apart, and of different answers apart', async () => {
    const store = await openStore();
    const first = store.recordAnswer(answerFields());
    const second = store.recordAnswer(answerFields());
    store.vote(first, 'U0VOTER0001', 'helpful');
    store.vote(first, 'U0VOTER0002', 'not_helpful');
    expect(store.vote(second, 'U0VOTER0001', 'not_helpful')).toEqual({ previous: undefined });
    expect(store.data.answers[first]?.votes.U0VOTER0001?.vote).toBe('helpful');
    expect(store.data.answers[first]?.votes.U0VOTER0002?.vote).toBe('not_helpful');
    expect(store.data.answers[second]?.votes.U0VOTER0001?.vote).toBe('not_helpful');
  });

  it("says 'unknown-answer' for an answer id it does not have", async () => {
    const store = await openStore();
    store.recordAnswer(answerFields());
    expect(store.vote('a-no-such-answer', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
    expect(store.vote('', 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
  });

  // Regression: AdvisorStore.vote (src/store/advisor-store.ts) looks the id up with
  // `this.file.data.answers[answerId]` on a plain object, so a button value of "constructor" or "__proto__"
  // finds an inherited property instead of nothing and `answer.votes[userId]` throws a TypeError.
  // Expected 'unknown-answer'.
  it.each(['constructor', '__proto__', 'toString'])(
    "says 'unknown-answer' for the inherited property name %j",
    async (answerId) => {
      const store = await openStore();
      expect(store.vote(answerId, 'U0VOTER0001', 'helpful')).toBe('unknown-answer');
    },
  );

  it('dates the vote from the injected clock', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const id = store.recordAnswer(answerFields());
    clock.advance(60_000);
    store.vote(id, 'U0VOTER0001', 'helpful');
    expect(store.data.answers[id]?.votes.U0VOTER0001?.at).toBe(new Date(T0 + 60_000).toISOString());
  });
});

describe('AdvisorStore.setReason', () => {
  it("records the reason on the voter's own not-helpful vote", async () => {
    const store = await openStore();
    const id = store.recordAnswer(answerFields());
    store.vote(id, 'U0VOTER0001', 'not_helpful');
    expect(store.setReason(id, 'U0VOTER0001', 'outdated')).toBe(true);
    expect(store.data.answers[id]?.votes.U0VOTER0001?.reason).toBe('outdated');
    expect(store.setReason(id, 'U0VOTER0001', 'off-topic')).toBe(true);
    expect(store.data.answers[id]?.votes.U0VOTER0001?.reason).toBe('off-topic');
  });

  it('refuses a reason for a helpful vote, for someone who did not vote, and for an unknown answer', async () => {
    const store = await openStore();
    const id = store.recordAnswer(answerFields());
    store.vote(id, 'U0VOTER0001', 'helpful');
    store.vote(id, 'U0VOTER0002', 'not_helpful');
    expect(store.setReason(id, 'U0VOTER0001', 'wrong')).toBe(false);
    expect(store.setReason(id, 'U0VOTER0003', 'wrong')).toBe(false);
    expect(store.setReason('a-no-such-answer', 'U0VOTER0002', 'wrong')).toBe(false);
    const votes = store.data.answers[id]?.votes ?? {};
    expect(votes.U0VOTER0001?.reason).toBeUndefined();
    expect(votes.U0VOTER0002?.reason).toBeUndefined();
    expect(votes.U0VOTER0003).toBeUndefined();
  });

  it('drops the reason when the voter changes to helpful', async () => {
    const store = await openStore();
    const id = store.recordAnswer(answerFields());
    store.vote(id, 'U0VOTER0001', 'not_helpful');
    store.setReason(id, 'U0VOTER0001', 'wrong');
    store.vote(id, 'U0VOTER0001', 'helpful');
    expect(store.data.answers[id]?.votes.U0VOTER0001).toEqual({ vote: 'helpful', at: expect.any(String) });
    expect(store.setReason(id, 'U0VOTER0001', 'wrong')).toBe(false);
  });
});

describe('AdvisorStore.recordUnanswered', () => {
  it('stores the question with the time and truncates a long one', async () => {
    const store = await openStore(() => new Date(T0));
    store.recordUnanswered({ ...unansweredFields('x'.repeat(900)), closestIds: ['what-is-it-pm'] });
    expect(store.data.unanswered).toEqual([
      {
        ...unansweredFields('x'.repeat(STORE_LIMITS.questionLength)),
        closestIds: ['what-is-it-pm'],
        at: new Date(T0).toISOString(),
      },
    ]);
  });

  it(`keeps at most ${STORE_LIMITS.unanswered} questions, dropping the oldest`, async () => {
    const store = await openStore(tickingClock());
    const total = STORE_LIMITS.unanswered + 3;
    for (let index = 0; index < total; index++) store.recordUnanswered(unansweredFields(`question ${index}`));
    const list = store.data.unanswered;
    expect(list).toHaveLength(STORE_LIMITS.unanswered);
    expect(list[0]?.question).toBe('question 3');
    expect(list.at(-1)?.question).toBe(`question ${total - 1}`);
  });
});
