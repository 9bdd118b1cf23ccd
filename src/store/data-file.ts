import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { Low } from 'lowdb';
import { DataFile as LowDataFile } from 'lowdb/node';

/** Long enough to gather a burst of changes into one write, short enough that an acknowledged change is on disk well within a second. */
export const DEFAULT_WRITE_DELAY_MS = 100;

export interface DataFileOptions<T> {
  /** Checks what was read; returns undefined when the content is not a data file of this app. */
  validate(raw: unknown): T | undefined;
  defaults(): T;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Writes requested within this window are coalesced into one (each write serialises the whole file). */
  writeDelayMs?: number;
}

/** A change could not be written: the disk is full, read-only or gone. The change is kept and retried. */
export class StoreWriteError extends Error {
  constructor(filePath: string, cause: unknown) {
    super(`could not write ${filePath}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreWriteError';
  }
}

/** How long a failed write waits before it is tried again, doubling from the first to the last. */
const RETRY_DELAYS_MS = { first: 1_000, max: 30_000 };

/**
 * The lowdb JSON file behind the app's state. Writes are atomic (lowdb writes a temporary file and renames it),
 * coalesced (many changes, one write), and a damaged file is moved aside rather than silently overwritten.
 * `commit()` is for changes a person is told about: it resolves once the change is written (group commit: changes
 * arriving while a write is under way go together in the next one). A failed write keeps the change, says so
 * (`writeProblem`), and is retried with backoff until the disk takes it.
 */
export class DataFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  /** The folder is created on the first write only (checking it on every write costs a file-system call). */
  private folderExists = false;
  /** Why writing has been failing, while it is; undefined once a write succeeds. */
  private problem: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_DELAYS_MS.first;

  private constructor(
    private readonly db: Low<T>,
    readonly filePath: string,
    private readonly options: DataFileOptions<T>,
    /** Where a damaged file was moved, when the app had to start afresh. */
    readonly recoveredFrom: string | undefined,
  ) {}

  static async open<T>(filePath: string, options: DataFileOptions<T>): Promise<DataFile<T>> {
    // Compact JSON: lowdb's JSONFile pretty-prints, which doubles the size and the time of every write.
    const db = new Low<T>(
      new LowDataFile<T>(filePath, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }),
      options.defaults(),
    );
    let recoveredFrom: string | undefined;
    let text: string | undefined;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      let data: T | undefined;
      try {
        data = options.validate(JSON.parse(text));
      } catch {
        data = undefined;
      }
      if (data) db.data = data;
      else {
        recoveredFrom = `${filePath}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await rename(filePath, recoveredFrom);
        options.logger.error(
          `The data file ${filePath} could not be read (not valid JSON or not pm-advisor data). ` +
            `It was kept untouched as ${recoveredFrom}; starting with an empty data file.`,
        );
      }
    }
    return new DataFile(db, filePath, options, recoveredFrom);
  }

  get data(): T {
    return this.db.data;
  }

  /** Why writes to this file are failing, while they are (for /healthz). */
  get writeProblem(): string | undefined {
    return this.problem;
  }

  /** Call after changing `data` in a way a person is told about: resolves once it is written, or rejects. */
  commit(): Promise<void> {
    this.dirty = true;
    return this.flush();
  }

  /** Call after changing `data` in a way no one waits for (pruning): schedules one coalesced write. */
  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error) => this.options.logger.error(`writing ${this.filePath} failed`, error));
    }, this.options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS);
  }

  /** Writes pending changes now and resolves when they are on disk. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const previous = this.writing;
    const next = previous.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        if (!this.folderExists) {
          await mkdir(path.dirname(this.filePath), { recursive: true });
          this.folderExists = true;
        }
        await this.db.write();
        this.recovered();
      } catch (error) {
        this.dirty = true;
        this.failed(error);
        throw new StoreWriteError(this.filePath, error);
      }
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** A write failed: remember why, and try again later (sooner the first times), so nothing waits for a change. */
  private failed(error: unknown): void {
    const first = this.problem === undefined;
    this.problem = `writing ${path.basename(this.filePath)} fails: ${(error as Error)?.message ?? String(error)}`;
    if (first) this.options.logger.error(`${this.problem}; changes are kept and retried`);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush().catch(() => undefined);
    }, this.retryDelayMs);
    this.retryTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_DELAYS_MS.max);
  }

  private recovered(): void {
    if (this.problem !== undefined)
      this.options.logger.warn(`${path.basename(this.filePath)} is written again`);
    this.problem = undefined;
    this.retryDelayMs = RETRY_DELAYS_MS.first;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
