import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Low } from 'lowdb';
import { DataFile, type DataFileOptions, StoreWriteError } from '../../../src/store/data-file.js';
import { storeLogger } from '../../helpers/store-logger.js';
import { waitFor } from '../../helpers/wait.js';

interface Counter {
  version: 1;
  count: number;
  items: string[];
}

const defaults = (): Counter => ({ version: 1, count: 0, items: [] });

/** Accepts only `{ version: 1, count: number, items: string[] }`, like the app's own schema check. */
function validate(raw: unknown): Counter | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const candidate = raw as Partial<Counter>;
  if (candidate.version !== 1 || typeof candidate.count !== 'number' || !Array.isArray(candidate.items)) {
    return undefined;
  }
  return candidate as Counter;
}

let dir: string;
let opened: DataFile<Counter>[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pm-advisor-data-file-'));
  opened = [];
});

afterEach(async () => {
  jest.restoreAllMocks();
  jest.useRealTimers();
  // A pending coalesced write must not land in a folder the next line deletes (or re-create it).
  await Promise.allSettled(opened.map((file) => file.flush()));
  await rm(dir, { recursive: true, force: true });
});

async function open(
  filePath: string,
  options: Partial<DataFileOptions<Counter>> = {},
): Promise<{ file: DataFile<Counter>; errors: string[] }> {
  const { logger, errors } = storeLogger();
  // A long delay by default: the tests decide when to flush, no timer writes behind their back.
  const file = await DataFile.open(filePath, {
    validate,
    defaults,
    logger,
    writeDelayMs: 60_000,
    ...options,
  });
  opened.push(file);
  return { file, errors };
}

const readJson = async (filePath: string): Promise<unknown> => JSON.parse(await readFile(filePath, 'utf8'));

describe('DataFile.open on a missing file', () => {
  it('starts with the defaults and creates neither the file nor its folder', async () => {
    const filePath = path.join(dir, 'nested', 'deeper', 'db.json');
    const { file, errors } = await open(filePath);
    expect(file.data).toEqual(defaults());
    expect(file.recoveredFrom).toBeUndefined();
    expect(file.filePath).toBe(filePath);
    expect(errors).toEqual([]);
    expect(existsSync(path.join(dir, 'nested'))).toBe(false);
  });

  it('creates the folder and the file on the first flush after a change', async () => {
    const filePath = path.join(dir, 'nested', 'deeper', 'db.json');
    const { file } = await open(filePath);
    file.data.count = 7;
    file.changed();
    expect(existsSync(filePath)).toBe(false);
    await file.flush();
    expect(await readJson(filePath)).toEqual({ version: 1, count: 7, items: [] });
  });

  it('gives each file its own defaults object', async () => {
    const first = await open(path.join(dir, 'a.json'));
    const second = await open(path.join(dir, 'b.json'));
    first.file.data.items.push('only in a');
    expect(second.file.data.items).toEqual([]);
  });
});

describe('DataFile writes', () => {
  it('coalesces many changes into one write holding the latest data', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    const write = jest.spyOn(Low.prototype, 'write');
    for (let index = 1; index <= 50; index++) {
      file.data.count = index;
      file.data.items.push(`item ${index}`);
      file.changed();
    }
    await file.flush();
    expect(write).toHaveBeenCalledTimes(1);
    const written = (await readJson(filePath)) as Counter;
    expect(written.count).toBe(50);
    expect(written.items).toHaveLength(50);
    expect(written.items.at(-1)).toBe('item 50');
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it('writes on its own once the delay has passed, without a flush', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath, { writeDelayMs: 100 });
    const write = jest.spyOn(Low.prototype, 'write');
    file.data.count = 1;
    file.changed();
    file.data.count = 2;
    file.changed();
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(99);
    expect(write).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(0);
    // flush() queues behind the write the timer started, so awaiting it awaits that write.
    await file.flush();
    expect(write).toHaveBeenCalledTimes(1);
    expect(await readJson(filePath)).toMatchObject({ count: 2 });
  });

  it('leaves no timer behind after an explicit flush', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const { file } = await open(path.join(dir, 'db.json'), { writeDelayMs: 100 });
    file.changed();
    expect(jest.getTimerCount()).toBe(1);
    await file.flush();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('writes atomically: the file always parses and no temporary file is left', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    for (let round = 0; round < 5; round++) {
      file.data.count = round;
      file.data.items.push('x'.repeat(10_000));
      file.changed();
      await file.flush();
      expect(await readJson(filePath)).toMatchObject({ count: round });
      expect(existsSync(path.join(dir, '.db.json.tmp'))).toBe(false);
    }
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it('keeps a change made while a write is in flight, writing it next', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    file.data.count = 1;
    file.changed();
    const first = file.flush();
    file.data.count = 2;
    file.data.items.push('late');
    file.changed();
    const second = file.flush();
    await Promise.all([first, second]);
    expect(await readJson(filePath)).toEqual({ version: 1, count: 2, items: ['late'] });
  });

  it('reads back what it wrote when opened again', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    file.data.items.push('kept', 'Ünïcödé & <tags> "quotes"');
    file.data.count = 3;
    file.changed();
    await file.flush();
    const reopened = await open(filePath);
    expect(reopened.file.data).toEqual({
      version: 1,
      count: 3,
      items: ['kept', 'Ünïcödé & <tags> "quotes"'],
    });
    expect(reopened.file.recoveredFrom).toBeUndefined();
    expect(reopened.errors).toEqual([]);
  });

  it('rejects a failed write, keeps the change, and writes it on the next flush', async () => {
    const blocker = path.join(dir, 'blocker');
    const filePath = path.join(blocker, 'db.json');
    const { file } = await open(filePath);
    await writeFile(blocker, 'a file where the folder should be');
    file.data.count = 9;
    file.changed();
    await expect(file.flush()).rejects.toThrow();
    await expect(file.flush()).rejects.toThrow();
    await rm(blocker);
    await file.flush();
    expect(await readJson(filePath)).toMatchObject({ count: 9 });
  });
});

describe('DataFile.commit', () => {
  it('resolves once the change is on disk, however long the write delay', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    file.data.count = 3;
    await file.commit();
    expect(await readJson(filePath)).toMatchObject({ count: 3 });
  });

  it('writes changes that arrive during a write together in the next one (group commit)', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    const write = jest.spyOn(Low.prototype, 'write');
    try {
      file.data.count = 1;
      const first = file.commit();
      file.data.count = 2;
      const second = file.commit();
      file.data.count = 3;
      const third = file.commit();
      await Promise.all([first, second, third]);
      expect(write.mock.calls.length).toBeLessThanOrEqual(2);
      expect(await readJson(filePath)).toMatchObject({ count: 3 });
    } finally {
      write.mockRestore();
    }
  });

  it('rejects with StoreWriteError when the disk refuses, says why, and writes the change once it can', async () => {
    const blocker = path.join(dir, 'blocker');
    const filePath = path.join(blocker, 'db.json');
    const { file, errors } = await open(filePath);
    await writeFile(blocker, 'a file where the folder should be');
    file.data.count = 7;
    await expect(file.commit()).rejects.toBeInstanceOf(StoreWriteError);
    expect(file.writeProblem).toContain('db.json');
    expect(errors.some((line) => line.includes('retried'))).toBe(true);
    await rm(blocker);
    // Retried on its own (after a second): nobody has to change anything again.
    await waitFor(() => file.writeProblem === undefined, 10_000);
    expect(await readJson(filePath)).toMatchObject({ count: 7 });
  }, 15_000);
});

describe('DataFile with nothing to write', () => {
  it('does not create a missing file on flush', async () => {
    const filePath = path.join(dir, 'db.json');
    const { file } = await open(filePath);
    const write = jest.spyOn(Low.prototype, 'write');
    await file.flush();
    expect(write).not.toHaveBeenCalled();
    expect(existsSync(filePath)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves an existing file untouched on flush', async () => {
    const filePath = path.join(dir, 'db.json');
    const original = `${JSON.stringify({ version: 1, count: 4, items: ['a'] })}\n`;
    await writeFile(filePath, original);
    const before = await stat(filePath);
    const { file } = await open(filePath);
    const write = jest.spyOn(Low.prototype, 'write');
    await file.flush();
    expect(write).not.toHaveBeenCalled();
    const after = await stat(filePath);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(await readFile(filePath, 'utf8')).toBe(original);
  });

  it('writes once, not again, when flushed twice after one change', async () => {
    const { file } = await open(path.join(dir, 'db.json'));
    const write = jest.spyOn(Low.prototype, 'write');
    file.changed();
    await file.flush();
    await file.flush();
    expect(write).toHaveBeenCalledTimes(1);
  });
});

describe('DataFile.open on a damaged file', () => {
  it.each([
    ['invalid JSON', '{"version": 1, "count": 3, "items": ['],
    ['a truncated write (empty file)', ''],
    ['JSON of the wrong shape', JSON.stringify({ version: 2, count: 'three', items: {} })],
    ['a JSON array', '[1, 2, 3]'],
    ['JSON null', 'null'],
  ])('moves %s aside untouched, logs both paths and starts from the defaults', async (_label, content) => {
    const filePath = path.join(dir, 'db.json');
    await writeFile(filePath, content);
    const { file, errors } = await open(filePath);

    expect(file.data).toEqual(defaults());
    const recoveredFrom = file.recoveredFrom;
    if (!recoveredFrom) throw new Error('recoveredFrom is not set');
    expect(path.dirname(recoveredFrom)).toBe(dir);
    expect(recoveredFrom).not.toBe(filePath);
    expect(await readFile(recoveredFrom, 'utf8')).toBe(content);
    expect(existsSync(filePath)).toBe(false);

    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(filePath);
    expect(errors[0]).toContain(recoveredFrom);
  });

  it('writes a fresh file next to the damaged one, never over it', async () => {
    const filePath = path.join(dir, 'db.json');
    const damaged = 'not json at all {{{';
    await writeFile(filePath, damaged);
    const { file } = await open(filePath);
    file.data.count = 1;
    file.changed();
    await file.flush();
    expect(await readJson(filePath)).toEqual({ version: 1, count: 1, items: [] });
    expect(await readFile(file.recoveredFrom ?? '', 'utf8')).toBe(damaged);
    expect((await readdir(dir)).sort()).toEqual(['db.json', path.basename(file.recoveredFrom ?? '')].sort());
  });

  it('opens the fresh file afterwards without another recovery', async () => {
    const filePath = path.join(dir, 'db.json');
    await writeFile(filePath, '{');
    const { file } = await open(filePath);
    file.changed();
    await file.flush();
    const reopened = await open(filePath);
    expect(reopened.file.recoveredFrom).toBeUndefined();
    expect(reopened.errors).toEqual([]);
  });
});
