import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { DataFile as LowDataFile } from 'lowdb/node';
import { StoreWriteError, syncFile } from './journal-file.js';

/** FNV-1a: a stable, well-spread hash so a key always lands in the same folder. */
export function fnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Folders a kind of file is spread over, so no folder holds more than a few hundred files at 100k people. */
const FAN_OUT = 256;

/** How often a failing folder is tried again, doubling from the first to the last. */
const PROBE_DELAYS_MS = { first: 1_000, max: 30_000 };

/** A key as a file name: letters, digits, `_` and `-` as they are, anything else as %XX. */
function fileNameOf(key: string): string {
  return `${key.replace(/[^A-Za-z0-9_-]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}.json`;
}

function keyOf(fileName: string): string | undefined {
  if (!fileName.endsWith('.json') || fileName.startsWith('.')) return undefined;
  try {
    return decodeURIComponent(fileName.slice(0, -'.json'.length));
  } catch {
    return undefined;
  }
}

export interface PersonFilesOptions<T> {
  /** Checks what was read; undefined when it is not a file of this kind. */
  parse(raw: unknown): T | undefined;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Values kept in memory (least recently used dropped first). */
  cacheSize?: number;
}

/**
 * One small JSON file per person (`folder/<2 hex digits>/<key>.json`), so a change writes what changed, however
 * many people are stored, and opening reads nothing. Writes are atomic (lowdb's writer: a temporary file, then a
 * rename) and synced to the disk before they resolve. A recently used value is kept in memory; a write that fails
 * leaves the memory as the disk is (the cached value is dropped) and rejects with StoreWriteError. Changes to one
 * key are applied one at a time, in the order asked. A damaged file is moved aside and reads as missing.
 */
export class PersonFiles<T> {
  private readonly cache = new Map<string, T | null>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly createdFolders = new Set<string>();
  private problem: string | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probeDelayMs = PROBE_DELAYS_MS.first;
  /** Damaged files moved aside since opening. */
  readonly recovered: string[] = [];

  constructor(
    readonly folder: string,
    private readonly options: PersonFilesOptions<T>,
  ) {}

  private folderOf(key: string): string {
    return path.join(this.folder, (fnv1a(key) % FAN_OUT).toString(16).padStart(2, '0'));
  }

  pathOf(key: string): string {
    return path.join(this.folderOf(key), fileNameOf(key));
  }

  get writeProblem(): string | undefined {
    return this.problem;
  }

  private remember(key: string, value: T | null): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    const limit = this.options.cacheSize ?? 10_000;
    if (this.cache.size <= limit) return;
    const oldest = this.cache.keys().next();
    if (!oldest.done) this.cache.delete(oldest.value);
  }

  /** Runs changes to one key one at a time. */
  private serial<R>(key: string, work: () => Promise<R>): Promise<R> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }

  async get(key: string): Promise<T | undefined> {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.remember(key, cached);
      return cached ?? undefined;
    }
    const value = await this.readFromDisk(key);
    if (!this.cache.has(key)) this.remember(key, value ?? null);
    return value;
  }

  private async readFromDisk(key: string): Promise<T | undefined> {
    const filePath = this.pathOf(key);
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      // Missing, or a folder on its path is not one: nothing stored.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    let value: T | undefined;
    try {
      value = this.options.parse(JSON.parse(text));
    } catch {
      value = undefined;
    }
    if (value !== undefined) return value;
    const aside = `${filePath}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(filePath, aside).catch(() => undefined);
    this.recovered.push(aside);
    this.options.logger.error(`${filePath} could not be read; it was kept as ${aside} and reads as empty`);
    return undefined;
  }

  /** Writes the value; resolves once it is on disk. */
  put(key: string, value: T): Promise<void> {
    return this.serial(key, async () => {
      const filePath = this.pathOf(key);
      try {
        const folder = path.dirname(filePath);
        if (!this.createdFolders.has(folder)) {
          await mkdir(folder, { recursive: true });
          this.createdFolders.add(folder);
        }
        await new LowDataFile<T>(filePath, {
          parse: JSON.parse,
          stringify: (data) => JSON.stringify(data),
        }).write(value);
        await syncFile(filePath);
      } catch (error) {
        this.cache.delete(key);
        this.createdFolders.clear();
        this.failed(error);
        throw new StoreWriteError(filePath, error);
      }
      this.problem = undefined;
      this.remember(key, value);
    });
  }

  /** Deletes the key's file; resolves once it is gone. */
  delete(key: string): Promise<void> {
    return this.serial(key, async () => {
      const filePath = this.pathOf(key);
      try {
        await rm(filePath, { force: true });
      } catch (error) {
        this.cache.delete(key);
        this.failed(error);
        throw new StoreWriteError(filePath, error);
      }
      this.remember(key, null);
    });
  }

  private failed(error: unknown): void {
    const first = this.problem === undefined;
    this.problem = `writing ${path.basename(this.folder)} fails: ${(error as Error)?.message ?? String(error)}`;
    if (first) this.options.logger.error(`${this.problem}; the change was refused and the person told`);
    this.scheduleProbe();
  }

  /** While writes fail, a small file is written now and then, so the problem clears once the disk takes writes. */
  private scheduleProbe(): void {
    if (this.probeTimer) return;
    this.probeTimer = setTimeout(async () => {
      this.probeTimer = undefined;
      try {
        await mkdir(this.folder, { recursive: true });
        await writeFile(path.join(this.folder, '.probe'), String(Date.now()));
        this.problem = undefined;
        this.probeDelayMs = PROBE_DELAYS_MS.first;
        this.options.logger.warn(`${path.basename(this.folder)} is written again`);
      } catch {
        this.probeDelayMs = Math.min(this.probeDelayMs * 2, PROBE_DELAYS_MS.max);
        this.scheduleProbe();
      }
    }, this.probeDelayMs);
    this.probeTimer.unref();
  }

  /** When the key's file was last written (undefined when it has none). */
  async modifiedAt(key: string): Promise<number | undefined> {
    return (await stat(this.pathOf(key)).catch(() => undefined))?.mtimeMs;
  }

  /** Every key with a file, one folder at a time (pruning, counting). */
  async *keys(): AsyncGenerator<string> {
    for (let index = 0; index < FAN_OUT; index++) {
      const folder = path.join(this.folder, index.toString(16).padStart(2, '0'));
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const name of names) {
        const key = keyOf(name);
        if (key !== undefined) yield key;
      }
    }
  }
}
