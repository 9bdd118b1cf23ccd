import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open as openHandle, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { JournalFile, type JournalFileOptions, StoreWriteError } from '../../../src/store/journal-file.js';
import { storeLogger } from '../../helpers/store-logger.js';
import { waitFor } from '../../helpers/wait.js';

interface Counter {
  version: 1;
  count: number;
  items: string[];
}
/** Adding is not idempotent on purpose: a line replayed twice would show. */
type Op = { add: string } | { clear: true };

const options = (): Omit<JournalFileOptions<Counter, Op>, 'logger'> => ({
  parse: (raw) => {
    const candidate = raw as Partial<Counter>;
    return candidate?.version === 1 && typeof candidate.count === 'number' && Array.isArray(candidate.items)
      ? { version: 1, count: candidate.count, items: candidate.items }
      : undefined;
  },
  toJson: (data) => data,
  defaults: () => ({ version: 1, count: 0, items: [] }),
  parseOp: (raw) => {
    const op = raw as Partial<{ add: unknown; clear: unknown }>;
    if (typeof op?.add === 'string') return { add: op.add };
    if (op?.clear === true) return { clear: true };
    return undefined;
  },
  apply: (data, op) => {
    if ('clear' in op) {
      data.items = [];
      data.count = 0;
    } else {
      data.items.push(op.add);
      data.count++;
    }
  },
  // A long delay: the tests decide when to flush.
  writeDelayMs: 60_000,
});

let dir: string;
let filePath: string;
let opened: JournalFile<Counter, Op>[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pm-advisor-journal-'));
  filePath = path.join(dir, 'data', 'db.json');
  opened = [];
});

afterEach(async () => {
  jest.useRealTimers();
  await Promise.allSettled(opened.map((file) => file.close()));
  await rm(dir, { recursive: true, force: true });
});

async function open(extra: Partial<JournalFileOptions<Counter, Op>> = {}) {
  const { logger, errors, warnings } = storeLogger();
  const file = await JournalFile.open(filePath, { ...options(), logger, ...extra });
  opened.push(file);
  return { file, errors, warnings };
}

const journalLines = async () =>
  (await readFile(`${filePath}.journal`, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('JournalFile.open', () => {
  it('starts with the defaults and creates nothing until a change', async () => {
    const { file, errors } = await open();
    expect(file.data).toEqual({ version: 1, count: 0, items: [] });
    await file.flush();
    expect(existsSync(path.dirname(filePath))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('reads a snapshot written by the earlier version (no journal, no sequence number)', async () => {
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, JSON.stringify({ version: 1, count: 2, items: ['a', 'b'] }));
    const { file } = await open();
    expect(file.data.items).toEqual(['a', 'b']);
    await file.commit({ add: 'c' });
    const { file: reopened } = await open();
    expect(reopened.data).toEqual({ version: 1, count: 3, items: ['a', 'b', 'c'] });
  });
});

describe('JournalFile.commit', () => {
  it('appends one line per change, on disk when it resolves, and a start replays them', async () => {
    const { file } = await open();
    await file.commit({ add: 'one' });
    expect(await journalLines()).toHaveLength(1);
    await file.commit({ add: 'two' });
    expect(await journalLines()).toHaveLength(2);
    expect(existsSync(filePath)).toBe(false);
    const { file: reopened } = await open();
    expect(reopened.data).toEqual({ version: 1, count: 2, items: ['one', 'two'] });
  });

  it('writes changes that arrive together in one append (group commit), each resolved', async () => {
    const { file } = await open();
    await file.commit({ add: 'first' });
    const appends = jest.spyOn(Object.getPrototypeOf(file) as { append(): Promise<void> }, 'append');
    await Promise.all(Array.from({ length: 20 }, (_, index) => file.commit({ add: `item ${index}` })));
    expect(appends.mock.calls.length).toBeLessThanOrEqual(2);
    appends.mockRestore();
    expect(await journalLines()).toHaveLength(21);
  });

  it('refuses a change the disk does not take and undoes it in memory; unconfirmed changes wait and land later', async () => {
    const { file, errors } = await open();
    await file.commit({ add: 'kept' });
    // The disk refuses the next appends, as when it is full.
    const probe = await openHandle(`${filePath}.journal`, 'r');
    const handlePrototype = Object.getPrototypeOf(probe);
    await probe.close();
    const write = jest
      .spyOn(handlePrototype as { write(): Promise<unknown> }, 'write')
      .mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    try {
      file.record({ add: 'unconfirmed' });
      await expect(file.commit({ add: 'refused' })).rejects.toBeInstanceOf(StoreWriteError);
      expect(file.writeProblem).toContain('no space left');
      expect(errors.join(' ')).toContain('no space left');
      expect(file.data.items).toEqual(['kept', 'unconfirmed']);
    } finally {
      write.mockRestore();
    }
    // Retried by itself (after a second): healthy again once the disk takes the change.
    await waitFor(() => file.writeProblem === undefined, 10_000);
    const { file: reopened } = await open();
    expect(reopened.data.items).toEqual(['kept', 'unconfirmed']);
  }, 15_000);
});

describe('JournalFile.record', () => {
  it('coalesces unconfirmed changes into one append after the delay', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const { file } = await open({ writeDelayMs: 100 });
    for (let index = 0; index < 50; index++) file.record({ add: `item ${index}` });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(100);
    await file.flush();
    expect(await journalLines()).toHaveLength(50);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('compaction', () => {
  it('folds the journal into the snapshot once it outgrows it: bytes written stay proportional to the change', async () => {
    const { file } = await open({ compactFloorBytes: 2_000 });
    for (let index = 0; index < 500; index++) await file.commit({ add: `item ${index}` });
    const snapshot = JSON.parse(await readFile(filePath, 'utf8')) as Counter & { journalSeq: number };
    expect(snapshot.journalSeq).toBeGreaterThan(0);
    expect(snapshot.count + (await journalLines()).length).toBe(500);
    expect((await stat(`${filePath}.journal`)).size).toBeLessThanOrEqual(
      Math.max(2_000, (await stat(filePath)).size) + 100,
    );
    const { file: reopened } = await open();
    expect(reopened.data.count).toBe(500);
    expect(reopened.data.items.at(-1)).toBe('item 499');
    expect((await readdir(path.dirname(filePath))).sort()).toEqual(['db.json', 'db.json.journal']);
  });

  it('replays nothing twice when a crash came after the snapshot and before the journal was emptied', async () => {
    const { file } = await open();
    for (const item of ['a', 'b', 'c']) await file.commit({ add: item });
    const journal = await readFile(`${filePath}.journal`, 'utf8');
    await file.compact();
    await file.close();
    // The journal as it was before compaction emptied it: every line is already in the snapshot.
    await writeFile(`${filePath}.journal`, journal);
    const { file: reopened } = await open();
    expect(reopened.data).toEqual({ version: 1, count: 3, items: ['a', 'b', 'c'] });
    await reopened.commit({ add: 'd' });
    const { file: again } = await open();
    expect(again.data.items).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('a damaged journal or snapshot', () => {
  it('cuts off a torn last line (a crash during the append) and keeps appending after it', async () => {
    const { file } = await open();
    await file.commit({ add: 'whole' });
    await file.close();
    await writeFile(`${filePath}.journal`, `${await readFile(`${filePath}.journal`, 'utf8')}{"s":2,"o":{"ad`);
    const { file: reopened, warnings } = await open();
    expect(reopened.data.items).toEqual(['whole']);
    expect(warnings).toEqual([]);
    await reopened.commit({ add: 'next' });
    const { file: again } = await open();
    expect(again.data.items).toEqual(['whole', 'next']);
  });

  it('skips a line that is not a change, saying so, and replays the others', async () => {
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(
      `${filePath}.journal`,
      ['{"s":1,"o":{"add":"a"}}', 'garbage', '{"s":3,"o":{"nope":1}}', '{"s":4,"o":{"add":"b"}}', ''].join(
        '\n',
      ),
    );
    const { file, warnings } = await open();
    expect(file.data.items).toEqual(['a', 'b']);
    expect(warnings.join(' ')).toContain('2 line(s)');
  });

  it('moves a damaged snapshot aside and still replays the journal', async () => {
    const { file } = await open();
    await file.commit({ add: 'a' });
    await file.compact();
    await file.commit({ add: 'b' });
    await file.close();
    await writeFile(filePath, '{"version": 1, "count": ');
    const { file: reopened, errors } = await open();
    expect(reopened.recoveredFrom).toBeDefined();
    expect(await readFile(reopened.recoveredFrom ?? '', 'utf8')).toBe('{"version": 1, "count": ');
    expect(errors[0]).toContain('kept untouched');
    expect(reopened.data.items).toEqual(['b']);
  });
});

describe('JournalFile.read', () => {
  it('reads snapshot and journal without changing a file, and refuses a damaged snapshot', async () => {
    const { file } = await open();
    await file.commit({ add: 'a' });
    await file.close();
    await writeFile(`${filePath}.journal`, `${await readFile(`${filePath}.journal`, 'utf8')}{"s":2`);
    const before = await readFile(`${filePath}.journal`, 'utf8');
    const { logger } = storeLogger();
    expect((await JournalFile.read(filePath, { ...options(), logger })).items).toEqual(['a']);
    expect(await readFile(`${filePath}.journal`, 'utf8')).toBe(before);
    await writeFile(filePath, 'not json');
    await expect(JournalFile.read(filePath, { ...options(), logger })).rejects.toThrow('not a readable');
  });
});
