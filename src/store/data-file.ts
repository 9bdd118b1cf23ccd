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

/**
 * The lowdb JSON file behind the app's state. Writes are atomic (lowdb writes a temporary file and renames it),
 * coalesced (many changes, one write), and a damaged file is moved aside rather than silently overwritten.
 */
export class DataFile<T> {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  /** The folder is created on the first write only (checking it on every write costs a file-system call). */
  private folderExists = false;

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

  /** Call after changing `data`: schedules one coalesced write. */
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
      } catch (error) {
        this.dirty = true;
        throw error;
      }
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
