import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { DataFile as LowDataFile } from 'lowdb/node';

/** Long enough to gather a burst of unconfirmed changes into one append, short enough to be on disk within a moment. */
export const DEFAULT_WRITE_DELAY_MS = 100;

/** The journal is folded into the snapshot once it is larger than the snapshot and at least this. */
const COMPACT_FLOOR_BYTES = 256 * 1024;

/** A line that changes nothing: appended to find out whether the disk takes writes again. */
const PROBE_LINE = '{"probe":1}\n';

/** How long a failed write waits before it is tried again, doubling from the first to the last. */
const RETRY_DELAYS_MS = { first: 1_000, max: 30_000 };

/** A change could not be written: the disk is full, read-only or gone. */
export class StoreWriteError extends Error {
  constructor(filePath: string, cause: unknown) {
    super(`could not write ${filePath}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreWriteError';
  }
}

export interface JournalFileOptions<T, Op> {
  /** Reads a snapshot as stored; undefined when the content is not a data file of this app. */
  parse(raw: unknown): T | undefined;
  /** The state as the snapshot stores it (JSON-ready). */
  toJson(data: T): object;
  defaults(): T;
  /** Checks a change read back from the journal; undefined when it is not one. */
  parseOp(raw: unknown): Op | undefined;
  /** Applies a change to the state. Replaying the journal applies the same changes in the same order. */
  apply(data: T, op: Op): void;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Unconfirmed changes (`record`) requested within this window go to disk in one append. */
  writeDelayMs?: number;
  /** The journal is compacted once larger than the snapshot and this (tests make it small). */
  compactFloorBytes?: number;
}

interface Pending {
  line: string;
  /** A confirmed change (`commit`): on failure it is rejected and undone, not retried. */
  settle?: { resolve(): void; reject(error: unknown): void };
}

/** The journal beside a snapshot: data/db.json → data/db.json.journal. */
export function journalPathFor(filePath: string): string {
  return `${filePath}.journal`;
}

/**
 * A JSON snapshot (written with lowdb's atomic writer) plus an append-only journal of the changes made since.
 * A change costs one appended line, whatever the size of the state; `commit()` resolves once its line is on disk
 * (fdatasync; changes arriving during a write go together in the next: group commit). The journal is folded into
 * the snapshot in the background once it outgrows it, so the bytes written per change stay about twice its line.
 * Opening replays the journal over the snapshot (each line carries a sequence number; lines the snapshot already
 * holds are skipped, so a crash during compaction replays nothing twice); a torn last line is cut off.
 * A confirmed change that cannot be written is rejected and undone in memory (the state is rebuilt from disk);
 * an unconfirmed one is kept and retried with backoff until the disk takes it.
 */
export class JournalFile<T, Op> {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private pending: Pending[] = [];
  private handle: FileHandle | undefined;
  /** Bytes of the journal known to be whole lines; a failed append may have left a torn tail beyond. */
  private journalBytes: number;
  private tornTail = false;
  private problem: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_DELAYS_MS.first;
  private compactWanted = false;

  private constructor(
    private state: T,
    private seq: number,
    private snapshotBytes: number,
    journalBytes: number,
    readonly filePath: string,
    private readonly options: JournalFileOptions<T, Op>,
    /** Where a damaged snapshot was moved, when the app had to start afresh. */
    readonly recoveredFrom: string | undefined,
  ) {
    this.journalBytes = journalBytes;
  }

  static async open<T, Op>(
    filePath: string,
    options: JournalFileOptions<T, Op>,
  ): Promise<JournalFile<T, Op>> {
    const loaded = await load(filePath, options, { cutTornTail: true, moveDamagedAside: true });
    return new JournalFile(
      loaded.state,
      loaded.seq,
      loaded.snapshotBytes,
      loaded.journalBytes,
      filePath,
      options,
      loaded.recoveredFrom,
    );
  }

  /** Reads the state as a start would, changing no file (for a report beside a running app); throws on a damaged snapshot. */
  static async read<T, Op>(filePath: string, options: JournalFileOptions<T, Op>): Promise<T> {
    const loaded = await load(filePath, options, { cutTornTail: false, moveDamagedAside: false });
    if (loaded.damaged) throw new Error(`${filePath} is not a readable pm-advisor data file`);
    return loaded.state;
  }

  get data(): T {
    return this.state;
  }

  get journalPath(): string {
    return journalPathFor(this.filePath);
  }

  /** Why writes to this file are failing, while they are (for /healthz). */
  get writeProblem(): string | undefined {
    return this.problem;
  }

  /** Applies a change a person is told about; resolves once it is on disk, or rejects (and undoes it). */
  commit(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line: this.applyNow(op), settle: { resolve, reject } });
      void this.flush().catch(() => undefined);
    });
  }

  /** Applies a change no one waits for: on disk within the write delay, retried until it is. */
  record(op: Op): void {
    this.pending.push({ line: this.applyNow(op) });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error) => this.options.logger.error(`writing ${this.filePath} failed`, error));
    }, this.options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS);
  }

  private applyNow(op: Op): string {
    this.seq++;
    const line = `${JSON.stringify({ s: this.seq, o: op })}\n`;
    this.options.apply(this.state, op);
    return line;
  }

  /** Writes pending changes now; resolves when they are on disk, rejects when the disk refuses them. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const next = this.writing.then(() => this.writeBatch());
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Folds the journal into the snapshot now (after "forget me": what was forgotten leaves the journal too). */
  compact(): Promise<void> {
    this.compactWanted = true;
    return this.flush();
  }

  private async writeBatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const lines = batch.map((entry) => entry.line);
      // While writes fail, a retry with nothing pending appends a probe, so healthy again means written again.
      if (lines.length === 0 && this.problem !== undefined) lines.push(PROBE_LINE);
      if (lines.length > 0) await this.append(lines.join(''));
      this.recovered();
    } catch (error) {
      this.failed(error);
      const undo = batch.some((entry) => entry.settle);
      // Unconfirmed changes wait for the retry; confirmed ones are refused and leave the state.
      this.pending = [...batch.filter((entry) => !entry.settle), ...this.pending];
      if (undo) await this.rebuild();
      for (const entry of batch) entry.settle?.reject(new StoreWriteError(this.filePath, error));
      throw new StoreWriteError(this.filePath, error);
    }
    for (const entry of batch) entry.settle?.resolve();
    if (this.compactWanted || this.journalBytes > Math.max(this.snapshotBytes, this.compactFloor)) {
      this.compactWanted = false;
      await this.compactNow().catch((error) =>
        this.options.logger.warn(
          `compacting ${path.basename(this.filePath)} failed (the journal keeps it)`,
          error,
        ),
      );
    }
  }

  private get compactFloor(): number {
    return this.options.compactFloorBytes ?? COMPACT_FLOOR_BYTES;
  }

  private async journalHandle(): Promise<FileHandle> {
    if (!this.handle) {
      await mkdir(path.dirname(this.filePath), { recursive: true });
      this.handle = await open(this.journalPath, 'a');
    }
    return this.handle;
  }

  private async append(text: string): Promise<void> {
    const handle = await this.journalHandle();
    if (this.tornTail) {
      await handle.truncate(this.journalBytes);
      this.tornTail = false;
    }
    try {
      await handle.write(text);
      await handle.datasync();
    } catch (error) {
      this.tornTail = true;
      throw error;
    }
    this.journalBytes += Buffer.byteLength(text);
  }

  /** The snapshot of everything applied so far replaces the file; the journal starts empty. */
  private async compactNow(): Promise<void> {
    const seq = this.seq;
    const text = JSON.stringify({ ...this.options.toJson(this.state), journalSeq: seq });
    await new LowDataFile<string>(this.filePath, { parse: String, stringify: String }).write(text);
    await syncFile(this.filePath);
    this.snapshotBytes = Buffer.byteLength(text);
    // Changes applied while the snapshot was written are still pending (not yet in the journal): the journal
    // holds only lines the snapshot has, and can be emptied. Lines appended later carry larger numbers.
    const handle = await this.journalHandle();
    await handle.truncate(0);
    this.journalBytes = 0;
    this.tornTail = false;
  }

  /** After a confirmed change was refused: the state is what the disk holds, plus the changes still pending. */
  private async rebuild(): Promise<void> {
    try {
      const loaded = await load(this.filePath, this.options, {
        cutTornTail: false,
        moveDamagedAside: false,
        journalBytes: this.journalBytes,
      });
      this.state = loaded.state;
      for (const entry of this.pending) {
        const parsed = JSON.parse(entry.line) as { o: unknown };
        const op = this.options.parseOp(parsed.o);
        if (op !== undefined) this.options.apply(this.state, op);
      }
    } catch (error) {
      this.options.logger.warn(
        `${path.basename(this.filePath)}: could not undo a refused change in memory`,
        error,
      );
    }
  }

  /** A write failed: remember why, and try again later (sooner the first times), so nothing waits for a change. */
  private failed(error: unknown): void {
    const first = this.problem === undefined;
    this.problem = `writing ${path.basename(this.filePath)} fails: ${(error as Error)?.message ?? String(error)}`;
    if (first) this.options.logger.error(`${this.problem}; unconfirmed changes are kept and retried`);
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

  /** Writes what is pending and closes the journal (tests, shutdown). */
  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Flushes a file's data to the disk (lowdb's writer renames, but does not sync). */
export async function syncFile(filePath: string): Promise<void> {
  const handle = await open(filePath, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

interface Loaded<T> {
  state: T;
  seq: number;
  snapshotBytes: number;
  journalBytes: number;
  recoveredFrom: string | undefined;
  /** The snapshot could not be read (and, when asked, was moved aside). */
  damaged: boolean;
}

async function readText(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function load<T, Op>(
  filePath: string,
  options: JournalFileOptions<T, Op>,
  how: { cutTornTail: boolean; moveDamagedAside: boolean; journalBytes?: number },
): Promise<Loaded<T>> {
  let state = options.defaults();
  let seq = 0;
  let recoveredFrom: string | undefined;
  let damaged = false;
  const text = await readText(filePath);
  if (text !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = raw === undefined ? undefined : options.parse(raw);
    if (parsed) {
      state = parsed;
      const stored = (raw as { journalSeq?: unknown }).journalSeq;
      seq = typeof stored === 'number' && Number.isSafeInteger(stored) ? stored : 0;
    } else damaged = true;
    if (damaged && how.moveDamagedAside) {
      recoveredFrom = `${filePath}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(filePath, recoveredFrom);
      options.logger.error(
        `The data file ${filePath} could not be read (not valid JSON or not pm-advisor data). ` +
          `It was kept untouched as ${recoveredFrom}; starting with an empty data file.`,
      );
    }
  }
  const journalPath = journalPathFor(filePath);
  const read = (await readText(journalPath)) ?? '';
  // Only what is known to be written whole, when the caller knows (a refused append may have left part of a line).
  const journal =
    how.journalBytes === undefined ? read : Buffer.from(read).subarray(0, how.journalBytes).toString('utf8');
  const whole = journal.lastIndexOf('\n') + 1;
  let skipped = 0;
  for (const line of journal.slice(0, whole).split('\n')) {
    if (line === '') continue;
    try {
      const entry = JSON.parse(line) as { s?: unknown; o?: unknown; probe?: unknown };
      if (entry.probe !== undefined) continue;
      if (typeof entry.s !== 'number') throw new Error('no sequence number');
      if (entry.s <= seq) continue;
      const op = options.parseOp(entry.o);
      if (op === undefined) throw new Error('not a change of this file');
      options.apply(state, op);
      seq = entry.s;
    } catch {
      skipped++;
    }
  }
  if (skipped > 0)
    options.logger.warn(`${journalPath}: ${skipped} line(s) could not be read and were skipped`);
  const journalBytes = Buffer.byteLength(journal.slice(0, whole));
  if (whole < journal.length && how.cutTornTail) {
    // The last append was cut short by a crash: its line was never confirmed.
    const handle = await open(journalPath, 'r+');
    try {
      await handle.truncate(journalBytes);
    } finally {
      await handle.close();
    }
  }
  const snapshotBytes = text === undefined ? 0 : ((await stat(filePath).catch(() => undefined))?.size ?? 0);
  return { state, seq, snapshotBytes, journalBytes, recoveredFrom, damaged };
}
