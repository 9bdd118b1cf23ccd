import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { personKey } from '../../../src/advisor/person.js';
import type { QuestionnaireSession } from '../../../src/advisor/questionnaire.js';
import { StoreWriteError } from '../../../src/store/journal-file.js';
import { QUESTIONNAIRE_STORE_LIMITS, QuestionnaireFiles } from '../../../src/store/questionnaire-store.js';
import { storedResult, storedSession } from '../../helpers/questionnaire-fixtures.js';
import { storeLogger, tempDataFolder } from '../../helpers/store-logger.js';

const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (offsetMs = 0) => new Date(T0 + offsetMs).toISOString();

const ALICE = personKey({ teamId: 'T0TEAM0001', userId: 'U0ALICE0001' });
const BOB = personKey({ teamId: 'T0TEAM0001', userId: 'U0BOB000001' });
const ALICE_ELSEWHERE = personKey({ teamId: 'T0TEAM0002', userId: 'U0ALICE0001' });

const session = storedSession;
const result = storedResult;

const temp = tempDataFolder('pm-advisor-questionnaire-store-');

async function openStore(options: { cacheSize?: number } = {}) {
  const { logger, errors, warnings } = storeLogger();
  const store = await QuestionnaireFiles.open(temp.dataFile, logger, options);
  temp.track(store);
  return { store, errors, warnings };
}

const folder = () => QuestionnaireFiles.folderFor(temp.dataFile);

/** Every file under the store's folder (relative paths, sorted) with its parsed content. */
async function storedFiles(): Promise<Record<string, unknown>> {
  if (!existsSync(folder())) return {};
  const names = (await readdir(folder(), { recursive: true })).filter((name) => name.endsWith('.json'));
  const files: Record<string, unknown> = {};
  for (const name of names.sort())
    files[name] = JSON.parse(await readFile(path.join(folder(), name), 'utf8'));
  return files;
}

/** Which files hold the key (their names are the key, `:` written as %3A). */
const filesHolding = async (key: string) =>
  Object.keys(await storedFiles()).filter(
    (name) => path.basename(name) === `${key.replace(':', '%3A')}.json`,
  );

describe('QuestionnaireFiles.open', () => {
  it('puts its folder next to the data file', () => {
    expect(QuestionnaireFiles.folderFor('/srv/data/db.json')).toBe(path.join('/srv/data', 'db.users'));
  });

  it('creates no folder and no files until something is written', async () => {
    const { store, errors } = await openStore();
    expect(await store.countPeople()).toBe(0);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.results(ALICE)).toEqual([]);
    expect(store.recovered).toEqual([]);
    await store.flush();
    expect(existsSync(path.join(temp.dir, 'data'))).toBe(false);
    expect(errors).toEqual([]);
  });

  it("writes only the person's own file: one for a questionnaire, one for results", async () => {
    const { store } = await openStore();
    await store.saveSession(BOB, session({ userId: 'U0BOB000001' }));
    const before = await storedFiles();
    await store.saveSession(ALICE, session());
    const after = await storedFiles();
    const added = Object.keys(after).filter((name) => !(name in before));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^sessions\/[0-9a-f]{2}\/T0TEAM0001%3AU0ALICE0001\.json$/);
    await store.finish(ALICE, result('r1'));
    expect(Object.keys(await storedFiles()).filter((name) => name.includes('U0ALICE0001'))).toEqual([
      expect.stringMatching(/^results\/[0-9a-f]{2}\/T0TEAM0001%3AU0ALICE0001\.json$/),
    ]);
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
    expect(await store.countPeople()).toBe(2);

    await store.deleteSession(ALICE);
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.getSession(BOB)).toEqual(bob);
    expect(await store.countPeople()).toBe(1);
  });

  it('replaces the session on a second save', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    const next = session({ step: 2, answers: { 'tech-inclination': 'x', industries: 'y' } });
    await store.saveSession(ALICE, next);
    expect(await store.getSession(ALICE)).toEqual(next);
    expect(await store.countPeople()).toBe(1);
  });

  it('keeps the results when the session is deleted, and does nothing for someone without one', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.saveSession(ALICE, session());
    await store.deleteSession(ALICE);
    expect(await store.results(ALICE)).toEqual([result('r1')]);
    expect(await store.countPeople()).toBe(1);
    await store.deleteSession(ALICE);
    await store.deleteSession(BOB);
    expect(await store.countPeople()).toBe(1);
    await store.flush();
    const holding = await filesHolding(ALICE);
    expect(holding).toHaveLength(1);
    const files = await storedFiles();
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
    expect(await store.countPeople()).toBe(1);
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
    expect(await store.countPeople()).toBe(2);
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
    expect(await store.countPeople()).toBe(1);
    await store.forget(ALICE);
    await store.forget(personKey({ teamId: 'T0NOBODY01', userId: 'U0NOBODY01' }));
    expect(await store.countPeople()).toBe(1);
  });

  it('removes the person from the file on disk', async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.flush();
    expect(await filesHolding(ALICE)).toHaveLength(1);
    await store.forget(ALICE);
    expect(JSON.stringify(await storedFiles())).not.toContain('U0ALICE0001');
    expect(JSON.stringify(await readdir(folder(), { recursive: true }))).not.toContain('U0ALICE0001');
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
    expect(await store.countPeople()).toBe(3);

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
    expect(await store.countPeople()).toBe(2);
    expect(await store.pruneSessions(() => false)).toBe(0);
    expect(await store.pruneSessions(() => true)).toBe(1);
    expect(await store.countPeople()).toBe(1);
  });

  it('writes the pruning to disk', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.flush();
    expect(await store.pruneSessions(() => true)).toBe(1);
    await store.flush();
    const reopened = await openStore();
    expect(await reopened.store.getSession(ALICE)).toBeUndefined();
    expect(await reopened.store.countPeople()).toBe(0);
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
    expect(await reopened.countPeople()).toBe(2);
    expect(reopened.recovered).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('loses nothing written before a flush, even with many changes in between', async () => {
    const { store } = await openStore();
    for (let index = 0; index < 30; index++) {
      await store.saveSession(
        personKey({ teamId: 'T0TEAM0001', userId: `U${index}` }),
        session({ userId: `U${index}`, step: index % 3 }),
      );
    }
    for (let index = 0; index < 30; index += 3)
      await store.deleteSession(personKey({ teamId: 'T0TEAM0001', userId: `U${index}` }));
    await store.flush();
    const { store: reopened } = await openStore();
    expect(await reopened.countPeople()).toBe(20);
    expect((await reopened.getSession(personKey({ teamId: 'T0TEAM0001', userId: 'U1' })))?.step).toBe(1);
    expect(await reopened.getSession(personKey({ teamId: 'T0TEAM0001', userId: 'U3' }))).toBeUndefined();
  });
});

describe('files', () => {
  it('keeps a person in the same two files across saves and starts', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.finish(ALICE, result('r1'));
    await store.saveSession(ALICE, session({ id: 'qs2' }));
    const holding = await filesHolding(ALICE);
    expect(holding).toHaveLength(2);
    const { store: reopened } = await openStore();
    await reopened.finish(ALICE, result('r2', { sessionId: 'qs2' }));
    await reopened.saveSession(ALICE, session({ id: 'qs3' }));
    expect(await filesHolding(ALICE)).toEqual(holding);
    expect((await reopened.results(ALICE)).map((r) => r.id)).toEqual(['r1', 'r2']);
  });

  it('spreads people over many folders', async () => {
    const { store } = await openStore();
    const keys = Array.from({ length: 200 }, (_, index) =>
      personKey({ teamId: `T0TEAM${index % 3}`, userId: `U0USER${String(index).padStart(5, '0')}` }),
    );
    for (const key of keys) await store.finish(key, result(`r-${key}`));
    const folders = new Set(Object.keys(await storedFiles()).map((name) => path.dirname(name)));
    expect(folders.size).toBeGreaterThan(100);
    expect(await store.countPeople()).toBe(200);
  });

  it('reads from disk what is not in memory', async () => {
    const { store } = await openStore({ cacheSize: 2 });
    const keys = Array.from({ length: 10 }, (_, index) =>
      personKey({ teamId: 'T0TEAM0001', userId: `U0C${index}` }),
    );
    for (const [index, key] of keys.entries()) await store.saveSession(key, session({ id: `qs-${index}` }));
    for (const [index, key] of keys.entries()) expect((await store.getSession(key))?.id).toBe(`qs-${index}`);
  });

  it("moves a damaged file aside, reports it, and still reads everyone else's", async () => {
    const { store } = await openStore();
    await store.finish(ALICE, result('r1'));
    await store.finish(BOB, result('r2'));
    const [aliceFile] = (await filesHolding(ALICE)).map((name) => path.join(folder(), name));
    await writeFile(aliceFile ?? '', '{"id": "r1", "at', 'utf8');
    const { store: reopened, errors } = await openStore();
    expect(await reopened.results(ALICE)).toEqual([]);
    expect((await reopened.results(BOB)).map((r) => r.id)).toEqual(['r2']);
    expect(reopened.recovered).toHaveLength(1);
    expect(await readFile(reopened.recovered[0] ?? '', 'utf8')).toBe('{"id": "r1", "at');
    expect(errors).toHaveLength(1);
    // A new result for Alice starts a fresh file.
    await reopened.finish(ALICE, result('r3'));
    expect((await reopened.results(ALICE)).map((r) => r.id)).toEqual(['r3']);
  });

  it('refuses a change the disk does not take, leaving memory as the disk is, and says so until writes work', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session({ step: 1 }));
    const aliceFile = path.join(folder(), (await filesHolding(ALICE))[0] ?? '');
    // A folder where the write's temporary file goes: the write fails, as on a full or read-only disk.
    const blocker = path.join(path.dirname(aliceFile), `.${path.basename(aliceFile)}.tmp`);
    await mkdir(blocker);
    await expect(store.saveSession(ALICE, session({ step: 2 }))).rejects.toBeInstanceOf(StoreWriteError);
    expect(store.writeProblem()).toContain('sessions');
    expect((await store.getSession(ALICE))?.step).toBe(1);
    await rm(blocker, { recursive: true });
    await store.saveSession(ALICE, session({ step: 2 }));
    expect(store.writeProblem()).toBeUndefined();
    expect((await store.getSession(ALICE))?.step).toBe(2);
  });
});

describe('the shared files of an earlier version', () => {
  const people = Array.from({ length: 30 }, (_, index) =>
    personKey({ teamId: 'T0TEAM0001', userId: `U0OLD${index}` }),
  );

  async function writeOldLayout(): Promise<void> {
    await mkdir(folder(), { recursive: true });
    for (let shard = 0; shard < 3; shard++) {
      const mine = people.filter((_, index) => index % 3 === shard);
      await writeFile(
        path.join(folder(), `sessions-00${shard}.json`),
        JSON.stringify({
          version: 1,
          sessions: Object.fromEntries(
            mine.map((key) => [key, session({ id: `qs-${key}`, userId: key.split(':')[1] })]),
          ),
        }),
      );
      await writeFile(
        path.join(folder(), `results-00${shard}.json`),
        JSON.stringify({
          version: 1,
          results: Object.fromEntries(mine.map((key) => [key, [result(`r-${key}`)]])),
        }),
      );
    }
  }

  it('are moved into per-person files at start-up, then removed; a second start changes nothing', async () => {
    await writeOldLayout();
    const { store, warnings } = await openStore();
    for (const key of people) {
      expect((await store.getSession(key))?.id).toBe(`qs-${key}`);
      expect((await store.results(key)).map((r) => r.id)).toEqual([`r-${key}`]);
    }
    expect((await readdir(folder())).filter((name) => name.endsWith('.json'))).toEqual([]);
    expect(warnings.some((warning) => warning.includes('60 record(s)'))).toBe(true);
    const { store: again, warnings: quiet } = await openStore();
    expect(await again.countPeople()).toBe(people.length);
    expect(quiet).toEqual([]);
  });

  it('merge with per-person files already there (a move interrupted half way): every result once, the newest questionnaire', async () => {
    const [first] = people;
    const { store } = await openStore();
    await store.finish(first ?? '', result('r-new'));
    await store.saveSession(first ?? '', session({ id: 'qs-newer', updatedAt: iso(10 * 60_000) }));
    await writeOldLayout();
    const { store: reopened } = await openStore();
    expect((await reopened.results(first ?? '')).map((r) => r.id).sort()).toEqual(
      ['r-new', `r-${first}`].sort(),
    );
    expect((await reopened.getSession(first ?? ''))?.id).toBe('qs-newer');
  });

  it('that is damaged is moved aside and the rest is moved in', async () => {
    await writeOldLayout();
    await writeFile(path.join(folder(), 'results-001.json'), '{"version": 1, "results": {', 'utf8');
    const { store, errors } = await openStore();
    expect(store.recovered).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect((await store.results(people[0] ?? '')).map((r) => r.id)).toEqual([`r-${people[0]}`]);
    expect(await store.results(people[1] ?? '')).toEqual([]);
  });
});

describe('pruneSessions with a hint', () => {
  it('reads only the questionnaires whose file was not written since the given time', async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session({ updatedAt: iso(0) }));
    const seen: string[] = [];
    const expireAll = (candidate: QuestionnaireSession) => {
      seen.push(candidate.userId);
      return true;
    };
    // Written just now: not looked at when only files older than an hour ago are asked for.
    expect(await store.pruneSessions(expireAll, new Date(Date.now() - 3_600_000))).toBe(0);
    expect(seen).toEqual([]);
    expect(await store.pruneSessions(expireAll, new Date(Date.now() + 1_000))).toBe(1);
    expect(seen).toEqual(['U0ALICE0001']);
  });
});

describe('forgetWorkspaces', () => {
  it("deletes every file of the workspaces' people (questionnaires and results), and nobody else's", async () => {
    const { store } = await openStore();
    await store.saveSession(ALICE, session());
    await store.finish(BOB, result('r1'));
    await store.finish(ALICE_ELSEWHERE, result('r2'));
    expect(await store.forgetWorkspaces(['T0TEAM0001'])).toBe(2);
    expect(await filesHolding(ALICE)).toEqual([]);
    expect(await filesHolding(BOB)).toEqual([]);
    expect(JSON.stringify(await readdir(folder(), { recursive: true }))).not.toContain('T0TEAM0001');
    expect((await store.results(ALICE_ELSEWHERE)).map((r) => r.id)).toEqual(['r2']);
    // The cache forgets them too.
    expect(await store.getSession(ALICE)).toBeUndefined();
    expect(await store.results(BOB)).toEqual([]);
    expect(await store.forgetWorkspaces(['T0NOBODY01'])).toBe(0);
  });
});
