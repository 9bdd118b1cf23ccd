import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { personKey } from '../../../src/advisor/person.js';
import type { QuestionnaireSession } from '../../../src/advisor/questionnaire.js';
import type { SavedResult } from '../../../src/advisor/scoring.js';
import { QUESTIONNAIRE_STORE_LIMITS, QuestionnaireFiles } from '../../../src/store/questionnaire-store.js';
import { storeLogger, tempDataFolder } from '../../helpers/store-logger.js';

const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (offsetMs = 0) => new Date(T0 + offsetMs).toISOString();

const ALICE = personKey({ teamId: 'T0TEAM0001', userId: 'U0ALICE0001' });
const BOB = personKey({ teamId: 'T0TEAM0001', userId: 'U0BOB000001' });
const ALICE_ELSEWHERE = personKey({ teamId: 'T0TEAM0002', userId: 'U0ALICE0001' });

function session(overrides: Partial<QuestionnaireSession> = {}): QuestionnaireSession {
  return {
    id: 'qs0000000001',
    teamId: 'T0TEAM0001',
    userId: 'U0ALICE0001',
    channelId: 'D0DM000001',
    factorIds: ['tech-inclination', 'industries', 'strengths'],
    answers: { 'tech-inclination': 'tech-inclination-high' },
    step: 1,
    questionTs: { 'tech-inclination': '1740819600.000100' },
    startedAt: iso(),
    updatedAt: iso(1000),
    ...overrides,
  };
}

function result(id: string, overrides: Partial<SavedResult> = {}): SavedResult {
  return {
    id,
    at: iso(60_000),
    leanRoleId: 'it-pm',
    strength: 'clear',
    totals: { 'it-pm': 12, 'general-pm': 4 },
    answers: { 'tech-inclination': 'tech-inclination-high' },
    ...overrides,
  };
}

const temp = tempDataFolder('pm-advisor-questionnaire-store-');

/** A long write delay: the tests decide when to flush, no timer writes behind their back. */
async function openStore(options: { shards?: number; sessionShards?: number; resultShards?: number } = {}) {
  const { logger, errors, warnings } = storeLogger();
  const { shards, ...counts } = options;
  const store = await QuestionnaireFiles.open(temp.dataFile, logger, {
    writeDelayMs: 60_000,
    ...(shards ? { sessionShards: shards, resultShards: shards } : {}),
    ...counts,
  });
  temp.track(store);
  return { store, errors, warnings };
}

const folder = () => QuestionnaireFiles.folderFor(temp.dataFile);

type ShardContent = Record<string, unknown>;

/** The shard files on disk (sorted by name) and their parsed content. */
async function shardFiles(): Promise<Record<string, ShardContent>> {
  const names = existsSync(folder())
    ? (await readdir(folder())).filter((name) => name.endsWith('.json'))
    : [];
  const files: Record<string, ShardContent> = {};
  for (const name of names.sort())
    files[name] = JSON.parse(await readFile(path.join(folder(), name), 'utf8'));
  return files;
}

/** The person keys a shard file holds: the keys of its records (whatever a shard calls them: users, sessions…). */
function keysIn(content: ShardContent): string[] {
  return Object.values(content).flatMap((value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [],
  );
}

/** Which shard files hold the key, after a flush. */
const filesHolding = async (key: string) =>
  Object.entries(await shardFiles())
    .filter(([, content]) => keysIn(content).includes(key))
    .map(([name]) => name);

describe('QuestionnaireFiles.open', () => {
  it('puts the shard folder next to the data file', () => {
    expect(QuestionnaireFiles.folderFor('/srv/data/db.json')).toBe(path.join('/srv/data', 'db.users'));
  });

  it('creates no folder and no files until something is written', async () => {
    const { store, errors } = await openStore();
    expect(store.countUsers()).toBe(0);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.results(ALICE)).toEqual([]);
    expect(store.recovered).toEqual([]);
    await store.flush();
    expect(existsSync(path.join(temp.dir, 'data'))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('writes only the shard that changed', async () => {
    const { store } = await openStore({ shards: 8 });
    await store.saveSession(ALICE, session());
    await store.flush();
    const files = await shardFiles();
    expect(Object.keys(files)).toHaveLength(1);
    expect(Object.values(files).map(keysIn)).toEqual([[ALICE]]);
  });
});

describe('sessions', () => {
  it('saves, reads and deletes a session per person', async () => {
    const { store } = await openStore();
    const alice = session();
    const bob = session({ id: 'qs0000000002', userId: 'U0BOB000001', step: 0, answers: {} });
    await store.saveSession(ALICE, alice);
    await store.saveSession(BOB, bob);
    expect(await store.getSession(ALICE)).toEqual(alice);
    expect(await store.getSession(BOB)).toEqual(bob);
    expect(await store.getSession(ALICE_ELSEWHERE)).toBeUndefined();
    expect(store.countUsers()).toBe(2);

    await store.deleteSession(ALICE);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.getSession(BOB)).toEqual(bob);
    expect(store.countUsers()).toBe(1);
  });

  it('replaces the session on a second save', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    const next = session({ step: 2, answers: { 'tech-inclination': 'x', industries: 'y' } });
    await store.saveSession(ALICE, next);
    expect(await store.getSession(ALICE)).toEqual(next);
    expect(store.countUsers()).toBe(1);
  });

  it('keeps the results when the session is deleted, and does nothing for someone without one', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.saveSession(ALICE, session());
    await store.deleteSession(ALICE);
    expect(await store.results(ALICE)).toEqual([result('r1')]);
    expect(store.countUsers()).toBe(1);
    await store.deleteSession(ALICE);
    await store.deleteSession(BOB);
    expect(store.countUsers()).toBe(1);
    await store.flush();
    const holding = await filesHolding(ALICE);
    expect(holding).toHaveLength(1);
    const files = await shardFiles();
    expect(JSON.stringify(files[holding[0] ?? ''])).toContain('"r1"');
    expect(JSON.stringify(files)).not.toContain('qs0000000001');
  });
});

describe('results', () => {
  it('finish saves the result and ends the questionnaire in one change', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.finish(ALICE, result('r1'));
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.results(ALICE)).toEqual([result('r1')]);
    expect(store.countUsers()).toBe(1);
  });

  it('keeps results oldest first, finds them by id, and keeps each person apart', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.finish(ALICE, result('r2', { leanRoleId: undefined, strength: 'balanced' }));
    await store.finish(ALICE_ELSEWHERE, result('r3'));
    expect((await store.results(ALICE)).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(await store.findResult(ALICE, 'r2')).toEqual(
      result('r2', { leanRoleId: undefined, strength: 'balanced' }),
    );
    expect(await store.findResult(ALICE, 'r3')).toBeUndefined();
    expect((await store.findResult(ALICE_ELSEWHERE, 'r3'))?.id).toBe('r3');
    expect(await store.findResult(BOB, 'r1')).toBeUndefined();
    expect(store.countUsers()).toBe(2);
  });

  it(`keeps at most ${QUESTIONNAIRE_STORE_LIMITS.resultsPerUser} results a person, dropping the oldest`, async () => {
    const { store } = await openStore();
    const limit = QUESTIONNAIRE_STORE_LIMITS.resultsPerUser;
    for (let index = 1; index <= limit; index++) await store.finish(ALICE, result(`r${index}`));
    expect(await store.results(ALICE)).toHaveLength(limit);
    expect((await store.results(ALICE))[0]?.id).toBe('r1');
    for (let index = limit + 1; index <= limit + 7; index++) await store.finish(ALICE, result(`r${index}`));
    const ids = (await store.results(ALICE)).map((r) => r.id);
    expect(ids).toHaveLength(limit);
    expect(ids[0]).toBe('r8');
    expect(ids.at(-1)).toBe(`r${limit + 7}`);
    expect(await store.findResult(ALICE, 'r7')).toBeUndefined();
  });
});

describe('forget', () => {
  it('deletes the session and every result of one person only', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.saveSession(ALICE, session());
    await store.finish(BOB, result('r2'));
    await store.forget(ALICE);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.results(ALICE)).toEqual([]);
    expect(await store.findResult(ALICE, 'r1')).toBeUndefined();
    expect((await store.results(BOB)).map((r) => r.id)).toEqual(['r2']);
    expect(store.countUsers()).toBe(1);
    await store.forget(ALICE);
    await store.forget(personKey({ teamId: 'T0NOBODY01', userId: 'U0NOBODY01' }));
    expect(store.countUsers()).toBe(1);
  });

  it('removes the person from the file on disk', async () => {
    const { store } = await openStore({ shards: 4 });
    await store.finish(ALICE, result('r1'));
    await store.flush();
    expect(JSON.stringify(await shardFiles())).toContain(ALICE);
    await store.forget(ALICE);
    await store.flush();
    expect(JSON.stringify(await shardFiles())).not.toContain('U0ALICE0001');
  });
});

describe('pruneSessions', () => {
  it('removes only the sessions the predicate picks, and keeps people with results', async () => {
    const { store } = await openStore();
    const carol = personKey({ teamId: 'T0TEAM0001', userId: 'U0CAROL0001' });
    await store.saveSession(ALICE, session({ updatedAt: iso(0) }));
    await store.finish(BOB, result('r1'));
    await store.saveSession(BOB, session({ userId: 'U0BOB000001', updatedAt: iso(0) }));
    await store.saveSession(carol, session({ userId: 'U0CAROL0001', updatedAt: iso(10 * 60_000) }));
    expect(store.countUsers()).toBe(3);

    const seen: string[] = [];
    const pruned = await store.pruneSessions((candidate) => {
      seen.push(candidate.userId);
      return Date.parse(candidate.updatedAt) < T0 + 5 * 60_000;
    });
    expect(pruned).toBe(2);
    expect(seen.sort()).toEqual(['U0ALICE0001', 'U0BOB000001', 'U0CAROL0001']);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.getSession(BOB)).toBeUndefined();
    expect((await store.results(BOB)).map((r) => r.id)).toEqual(['r1']);
    expect((await store.getSession(carol))?.userId).toBe('U0CAROL0001');
    expect(store.countUsers()).toBe(2);
    expect(await store.pruneSessions(() => false)).toBe(0);
    expect(await store.pruneSessions(() => true)).toBe(1);
    expect(store.countUsers()).toBe(1);
  });

  it('writes the pruning to disk', async () => {
    const { store } = await openStore({ shards: 4 });
    await store.saveSession(ALICE, session());
    await store.flush();
    expect(await store.pruneSessions(() => true)).toBe(1);
    await store.flush();
    const reopened = await openStore({ shards: 4 });
    expect(await reopened.store.getSession(ALICE)).toBeUndefined();
    expect(reopened.store.countUsers()).toBe(0);
  });
});

describe('persistence', () => {
  it('a crash between the two writes of finish loses no result and leaves no open questionnaire', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.flush();
    // The process dies after the result is written and before the questionnaire is closed.
    const close = jest
      .spyOn(QuestionnaireFiles.prototype, 'deleteSession')
      .mockRejectedValueOnce(new Error('killed'));
    try {
      await expect(store.finish(ALICE, result('r1', { sessionId: session().id }))).rejects.toThrow('killed');
    } finally {
      close.mockRestore();
    }
    const { store: reopened } = await openStore();
    expect(await reopened.results(ALICE)).toEqual([result('r1', { sessionId: session().id })]);
    expect(await reopened.getSession(ALICE)).toBeUndefined();
  });

  it('keeps a questionnaire open when only an earlier one has a result', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1', { sessionId: 'qs-earlier' }));
    await store.saveSession(ALICE, session());
    await store.flush();
    const { store: reopened } = await openStore();
    expect((await reopened.getSession(ALICE))?.id).toBe(session().id);
  });

  it('reads back sessions and results after flush and reopen', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.finish(BOB, result('r1'));
    await store.finish(BOB, result('r2', { leanRoleId: undefined, strength: 'balanced' }));
    await store.flush();

    const { store: reopened, errors } = await openStore();
    expect(await reopened.getSession(ALICE)).toEqual(session());
    expect(await reopened.results(BOB)).toEqual([
      result('r1'),
      result('r2', { leanRoleId: undefined, strength: 'balanced' }),
    ]);
    expect(reopened.countUsers()).toBe(2);
    expect(reopened.recovered).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('loses nothing written before a flush, even with many changes in between', async () => {
    const { store } = await openStore({ shards: 4 });
    for (let index = 0; index < 30; index++) {
      await store.saveSession(
        personKey({ teamId: 'T0TEAM0001', userId: `U${index}` }),
        session({ userId: `U${index}`, step: index % 3 }),
      );
    }
    for (let index = 0; index < 30; index += 3)
      await store.deleteSession(personKey({ teamId: 'T0TEAM0001', userId: `U${index}` }));
    await store.flush();
    const { store: reopened } = await openStore({ shards: 4 });
    expect(reopened.countUsers()).toBe(20);
    expect((await reopened.getSession(personKey({ teamId: 'T0TEAM0001', userId: 'U1' })))?.step).toBe(1);
    expect(await reopened.getSession(personKey({ teamId: 'T0TEAM0001', userId: 'U3' }))).toBeUndefined();
  });
});

describe('sharding', () => {
  it('always puts a person in the same shard file', async () => {
    const { store } = await openStore({ shards: 4 });
    await store.saveSession(ALICE, session());
    await store.flush();
    const withSession = await filesHolding(ALICE);
    expect(withSession).toHaveLength(1);
    await store.saveSession(ALICE, session({ step: 2 }));
    await store.flush();
    expect(await filesHolding(ALICE)).toEqual(withSession);

    await store.finish(ALICE, result('r1'));
    await store.finish(ALICE, result('r2'));
    await store.flush();
    const withResults = await filesHolding(ALICE);
    expect(withResults).toHaveLength(1);

    const { store: reopened } = await openStore({ shards: 4 });
    await reopened.finish(ALICE, result('r3'));
    await reopened.saveSession(ALICE, session());
    await reopened.deleteSession(ALICE);
    await reopened.flush();
    expect(await filesHolding(ALICE)).toEqual(withResults);
    expect((await reopened.results(ALICE)).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('spreads different people over the shards', async () => {
    const { store } = await openStore({ shards: 8 });
    const keys = Array.from({ length: 200 }, (_, index) =>
      personKey({
        teamId: `T0TEAM${String(index % 3).padStart(4, '0')}`,
        userId: `U0USER${String(index).padStart(5, '0')}`,
      }),
    );
    for (const key of keys) await store.finish(key, result(`r-${key}`));
    await store.flush();
    const counts = Object.values(await shardFiles()).map((content) => keysIn(content).length);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(200);
    expect(counts.filter((count) => count > 0).length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...counts)).toBeLessThan(200 / 2);
    for (const key of keys) expect(await filesHolding(key)).toHaveLength(1);
  });

  it('moves a damaged shard aside, reports it, and still loads the others', async () => {
    const { store } = await openStore({ shards: 4 });
    const people = Array.from({ length: 40 }, (_, index) =>
      personKey({ teamId: 'T0TEAM0001', userId: `U0P${index}` }),
    );
    for (const key of people) await store.finish(key, result(`r-${key}`));
    await store.flush();
    const before = Object.entries(await shardFiles());
    expect(before).toHaveLength(4);
    // The third of the four files: each holds some of the 40 people.
    const [damagedName, damagedContent] = before[2] ?? ['', {}];
    const lost = keysIn(damagedContent);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.length).toBeLessThan(people.length);
    const damagedPath = path.join(folder(), damagedName);
    await writeFile(damagedPath, '{"version": 1, "users": {"T0TEAM0001:U0P', 'utf8');

    const { store: reopened, errors } = await openStore({ shards: 4 });
    expect(reopened.recovered).toHaveLength(1);
    const [aside] = reopened.recovered;
    expect(aside?.startsWith(`${damagedPath}.damaged-`)).toBe(true);
    expect(await readFile(aside ?? '', 'utf8')).toBe('{"version": 1, "users": {"T0TEAM0001:U0P');
    expect(existsSync(damagedPath)).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(damagedName);

    expect(reopened.countUsers()).toBe(people.length - lost.length);
    for (const key of people) {
      expect([key, (await reopened.results(key)).length]).toEqual([key, lost.includes(key) ? 0 : 1]);
    }
  });

  it('moves aside a shard that is JSON but not pm-advisor data', async () => {
    const { store } = await openStore({ shards: 2 });
    await store.saveSession(ALICE, session());
    await store.finish(BOB, result('r1'));
    await store.flush();
    const names = Object.keys(await shardFiles());
    expect(names.length).toBeGreaterThan(0);
    for (const [index, name] of names.entries()) {
      const notOurs = index % 2 === 0 ? { version: 2 } : [{ version: 1 }];
      await writeFile(path.join(folder(), name), JSON.stringify(notOurs), 'utf8');
    }
    const { store: reopened, errors } = await openStore({ shards: 2 });
    expect(reopened.recovered.map((file) => path.basename(file).split('.damaged-')[0]).sort()).toEqual(names);
    expect(errors).toHaveLength(names.length);
    expect(reopened.countUsers()).toBe(0);
    expect(await reopened.getSession(ALICE)).toBeUndefined();
  });
});

describe('a change of shard count', () => {
  const people = Array.from({ length: 60 }, (_, index) =>
    personKey({ teamId: 'T0TEAM0001', userId: `U0MOVE${index}` }),
  );
  const names = async () => Object.keys(await shardFiles());

  it('moves every questionnaire and result to its new file and removes the files beyond the new count', async () => {
    const { store } = await openStore({ sessionShards: 8, resultShards: 8 });
    for (const [index, key] of people.entries()) {
      await store.saveSession(key, session({ id: `qs-${index}`, step: index % 3 }));
      await store.finish(key, result(`r-${index}`));
      await store.saveSession(key, session({ id: `qs-${index}`, step: index % 3 }));
    }
    await store.flush();
    expect((await names()).filter((name) => name.startsWith('sessions-'))).toHaveLength(8);

    const { store: reopened, warnings } = await openStore({ sessionShards: 3, resultShards: 8 });
    for (const [index, key] of people.entries()) {
      expect(await reopened.getSession(key)).toMatchObject({ id: `qs-${index}`, step: index % 3 });
      expect((await reopened.results(key)).map((r) => r.id)).toEqual([`r-${index}`]);
      expect(await filesHolding(key)).toHaveLength(2);
    }
    expect((await names()).filter((name) => name.startsWith('sessions-'))).toEqual([
      'sessions-000.json',
      'sessions-001.json',
      'sessions-002.json',
    ]);
    expect(warnings.some((warning) => warning.includes('removed 5 file(s)'))).toBe(true);

    // Opening again with the same count changes nothing and says nothing.
    const { store: again, warnings: quiet } = await openStore({ sessionShards: 3, resultShards: 8 });
    expect(again.countUsers()).toBe(people.length);
    expect(quiet).toEqual([]);
  });

  it('merges a person found in two files (a move interrupted half way): latest questionnaire, every result once', async () => {
    const { store } = await openStore({ sessionShards: 2, resultShards: 2 });
    await store.saveSession(ALICE, session({ step: 1, updatedAt: iso(1_000) }));
    await store.finish(BOB, result('r1', { at: iso(1_000) }));
    await store.flush();
    // A copy of each file under an index beyond the count, as if an earlier layout had them there too,
    // with an older questionnaire for Alice and an extra, older result for Bob.
    for (const name of await names()) {
      const content = JSON.parse(await readFile(path.join(folder(), name), 'utf8'));
      if (content.sessions?.[ALICE]) content.sessions[ALICE] = session({ step: 0, updatedAt: iso(0) });
      if (content.results?.[BOB])
        content.results[BOB] = [result('r0', { at: iso(0) }), result('r1', { at: iso(1_000) })];
      await writeFile(path.join(folder(), name.replace(/-00\d/, '-007')), JSON.stringify(content), 'utf8');
    }

    const { store: reopened } = await openStore({ sessionShards: 2, resultShards: 2 });
    expect((await reopened.getSession(ALICE))?.step).toBe(1);
    expect((await reopened.results(BOB)).map((r) => r.id)).toEqual(['r0', 'r1']);
    expect((await names()).some((name) => name.includes('-007'))).toBe(false);
    expect(await filesHolding(ALICE)).toHaveLength(1);
    expect(await filesHolding(BOB)).toHaveLength(1);
  });
});
