import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { type QuestionnaireSession, questionnaireSessionSchema } from '../advisor/questionnaire.js';
import { type SavedResult, savedResultSchema } from '../advisor/scoring.js';
import { DataFile } from './data-file.js';

const sessionShardSchema = z.object({
  version: z.literal(1),
  sessions: z.record(z.string(), questionnaireSessionSchema),
});
const resultShardSchema = z.object({
  version: z.literal(1),
  results: z.record(z.string(), z.array(savedResultSchema)),
});

type SessionShard = z.infer<typeof sessionShardSchema>;
type ResultShard = z.infer<typeof resultShardSchema>;

export const QUESTIONNAIRE_STORE_LIMITS = {
  /** Past results kept per person (the oldest are dropped). */
  resultsPerUser: 50,
} as const;

/** FNV-1a: a stable, well-spread hash so a person always lands in the same shard. */
function shardIndex(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

interface ShardKind<T> {
  prefix: string;
  schema: z.ZodType<T>;
  defaults: () => T;
  /** The per-person records of a shard (sessions or results by person key). */
  records(data: T): Record<string, unknown>;
  /** Combines two records for the same person found in two files (after a change of shard count). */
  merge(kept: unknown, other: unknown): unknown;
}

const SHARD_FILE = /^(?<prefix>[a-z]+)-(?<index>\d{3})\.json$/;

function shardPath(folder: string, prefix: string, index: number): string {
  return path.join(folder, `${prefix}-${String(index).padStart(3, '0')}.json`);
}

/**
 * Opens `count` shard files of one kind. Files of an earlier, different count (more files, or people in another
 * shard than the hash now says) are folded in: each record moves to its shard, the moved-to files are written,
 * then files beyond `count` are deleted. Interrupted half way, the next start finishes it (merging is repeatable).
 */
async function openShards<T>(
  folder: string,
  kind: ShardKind<T>,
  count: number,
  logger: Pick<Logger, 'warn' | 'error'>,
  writeDelayMs: number | undefined,
): Promise<DataFile<T>[]> {
  const open = (index: number) =>
    DataFile.open<T>(shardPath(folder, kind.prefix, index), {
      validate: (raw) => {
        const result = kind.schema.safeParse(raw);
        return result.success ? result.data : undefined;
      },
      defaults: kind.defaults,
      logger,
      writeDelayMs,
    });
  const shards = await Promise.all(Array.from({ length: count }, (_, index) => open(index)));
  const beyond = (await readdir(folder).catch(() => [] as string[]))
    .map((name) => SHARD_FILE.exec(name)?.groups)
    .filter((groups) => groups?.prefix === kind.prefix && Number(groups.index) >= count)
    .map((groups) => Number(groups?.index));
  const extra = await Promise.all(beyond.map(open));

  let moved = 0;
  for (const [from, shard] of [...shards, ...extra].entries()) {
    const records = kind.records(shard.data);
    for (const [key, record] of Object.entries(records)) {
      const to = shardIndex(key, count);
      if (to === from) continue;
      const target = shards[to];
      if (!target) continue;
      const targetRecords = kind.records(target.data);
      targetRecords[key] = Object.hasOwn(targetRecords, key)
        ? kind.merge(targetRecords[key], record)
        : record;
      delete records[key];
      target.changed();
      if (from < count) shard.changed();
      moved++;
    }
  }
  if (moved > 0 || extra.length > 0) {
    await Promise.all(shards.map((shard) => shard.flush()));
    await Promise.all(beyond.map((index) => rm(shardPath(folder, kind.prefix, index), { force: true })));
    logger.warn(
      `${kind.prefix}: moved ${moved} record(s) to the shard their key maps to now (${count} files), ` +
        `removed ${extra.length} file(s) of an earlier shard count`,
    );
  }
  return shards;
}

const SESSION_FILES: ShardKind<SessionShard> = {
  prefix: 'sessions',
  schema: sessionShardSchema,
  defaults: () => ({ version: 1, sessions: {} }),
  records: (data) => data.sessions,
  // The same person's questionnaire in two files: keep the one changed last.
  merge: (kept, other) =>
    (other as QuestionnaireSession).updatedAt > (kept as QuestionnaireSession).updatedAt ? other : kept,
};

const RESULT_FILES: ShardKind<ResultShard> = {
  prefix: 'results',
  schema: resultShardSchema,
  defaults: () => ({ version: 1, results: {} }),
  records: (data) => data.results,
  // Results from two files: all of them once each, oldest first, within the per-person limit.
  merge: (kept, other) => {
    const byId = new Map([...(kept as SavedResult[]), ...(other as SavedResult[])].map((r) => [r.id, r]));
    return [...byId.values()]
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-QUESTIONNAIRE_STORE_LIMITS.resultsPerUser);
  },
};

/** What the questionnaire flows need: each person's questionnaire in progress and their past results, by person key. */
export interface QuestionnaireStore {
  getSession(key: string): Promise<QuestionnaireSession | undefined>;
  /** Stores the session (after any change to it). */
  saveSession(key: string, session: QuestionnaireSession): Promise<void>;
  deleteSession(key: string): Promise<void>;
  /** Saves a finished result and ends the questionnaire. */
  finish(key: string, result: SavedResult): Promise<void>;
  /** Past results, oldest first. */
  results(key: string): Promise<SavedResult[]>;
  findResult(key: string, resultId: string): Promise<SavedResult | undefined>;
  /** Deletes everything stored about a person: the questionnaire in progress and every result. */
  forget(key: string): Promise<void>;
  /** Drops the questionnaires the predicate calls expired; returns how many. */
  pruneSessions(isExpired: (session: QuestionnaireSession) => boolean): Promise<number>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

/**
 * Per-person state in lowdb files beside DATA_FILE, kept in two sharded sets: questionnaires in progress
 * (changed on every answer, so small and quick to rewrite) apart from past results (which only grow and are
 * written once per finished questionnaire). lowdb serialises a whole file on every write; sharding and this
 * split keep each write to a few kilobytes however many people are stored.
 */
export class QuestionnaireFiles implements QuestionnaireStore {
  private constructor(
    private readonly sessionShards: DataFile<SessionShard>[],
    private readonly resultShards: DataFile<ResultShard>[],
  ) {}

  /**
   * Results only grow (one write per finished questionnaire), so they are spread thin: each write stays small.
   * Conversations in progress change on every answer but are few (they expire), so fewer, larger files let the
   * 250 ms write delay gather many answers into one write (about 4 times fewer writes under load than 64 files).
   */
  static readonly DEFAULT_RESULT_SHARDS = 64;
  static readonly DEFAULT_SESSION_SHARDS = 16;
  /** Changes to questionnaires are written within this long (well inside the 1 s an answer may wait for disk). */
  static readonly SESSION_WRITE_DELAY_MS = 250;

  /** The folder of shard files that belongs to a data file: data/db.json → data/db.users/. */
  static folderFor(dataFile: string): string {
    const parsed = path.parse(dataFile);
    return path.join(parsed.dir, `${parsed.name}.users`);
  }

  static async open(
    dataFile: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    options: { sessionShards?: number; resultShards?: number; writeDelayMs?: number } = {},
  ): Promise<QuestionnaireFiles> {
    const folder = QuestionnaireFiles.folderFor(dataFile);
    const [sessions, results] = await Promise.all([
      openShards(
        folder,
        SESSION_FILES,
        options.sessionShards ?? QuestionnaireFiles.DEFAULT_SESSION_SHARDS,
        logger,
        options.writeDelayMs ?? QuestionnaireFiles.SESSION_WRITE_DELAY_MS,
      ),
      openShards(
        folder,
        RESULT_FILES,
        options.resultShards ?? QuestionnaireFiles.DEFAULT_RESULT_SHARDS,
        logger,
        options.writeDelayMs,
      ),
    ]);
    const store = new QuestionnaireFiles(sessions, results);
    store.closeFinishedSessions();
    return store;
  }

  /** Sessions whose result is already stored (a crash came between the two writes of `finish`) are closed. */
  private closeFinishedSessions(): void {
    for (const shard of this.sessionShards) {
      let closed = false;
      for (const [key, session] of Object.entries(shard.data.sessions)) {
        const results = this.shardOf(this.resultShards, key).data.results;
        const finished = Object.hasOwn(results, key) && results[key]?.some((r) => r.sessionId === session.id);
        if (!finished) continue;
        delete shard.data.sessions[key];
        closed = true;
      }
      if (closed) shard.changed();
    }
  }

  /** Damaged shard files that were moved aside at start-up. */
  get recovered(): string[] {
    return [...this.sessionShards, ...this.resultShards].flatMap((shard) =>
      shard.recoveredFrom ? [shard.recoveredFrom] : [],
    );
  }

  private shardOf<T>(shards: DataFile<T>[], key: string): DataFile<T> {
    const shard = shards[shardIndex(key, shards.length)];
    if (!shard) throw new Error('no shard');
    return shard;
  }

  async getSession(key: string): Promise<QuestionnaireSession | undefined> {
    const sessions = this.shardOf(this.sessionShards, key).data.sessions;
    return Object.hasOwn(sessions, key) ? sessions[key] : undefined;
  }

  /** Stores the session (after any change to it). */
  async saveSession(key: string, session: QuestionnaireSession): Promise<void> {
    const shard = this.shardOf(this.sessionShards, key);
    shard.data.sessions[key] = session;
    await shard.commit();
  }

  async deleteSession(key: string): Promise<void> {
    const shard = this.shardOf(this.sessionShards, key);
    if (!Object.hasOwn(shard.data.sessions, key)) return;
    delete shard.data.sessions[key];
    await shard.commit();
  }

  /** Saves a finished result and ends the questionnaire. */
  async finish(key: string, result: SavedResult): Promise<void> {
    // The result is written before the questionnaire is closed: a crash between the two leaves a session whose
    // result exists, which opening the store closes (see closeFinishedSessions); never a lost result.
    const shard = this.shardOf(this.resultShards, key);
    const results = Object.hasOwn(shard.data.results, key) ? (shard.data.results[key] ?? []) : [];
    results.push(result);
    if (results.length > QUESTIONNAIRE_STORE_LIMITS.resultsPerUser) results.shift();
    shard.data.results[key] = results;
    await shard.commit();
    await this.deleteSession(key);
  }

  async results(key: string): Promise<SavedResult[]> {
    const results = this.shardOf(this.resultShards, key).data.results;
    return Object.hasOwn(results, key) ? (results[key] ?? []) : [];
  }

  async findResult(key: string, resultId: string): Promise<SavedResult | undefined> {
    return (await this.results(key)).find((result) => result.id === resultId);
  }

  /** Deletes everything stored about a person: the questionnaire in progress and every result. */
  async forget(key: string): Promise<void> {
    await this.deleteSession(key);
    const shard = this.shardOf(this.resultShards, key);
    if (!Object.hasOwn(shard.data.results, key)) return;
    delete shard.data.results[key];
    await shard.commit();
  }

  /** Drops the questionnaires the predicate calls expired; returns how many. */
  async pruneSessions(isExpired: (session: QuestionnaireSession) => boolean): Promise<number> {
    let pruned = 0;
    for (const shard of this.sessionShards) {
      let changed = false;
      for (const [key, session] of Object.entries(shard.data.sessions)) {
        if (!isExpired(session)) continue;
        delete shard.data.sessions[key];
        changed = true;
        pruned++;
      }
      if (changed) shard.changed();
    }
    return pruned;
  }

  /** How many people have anything stored. */
  countUsers(): number {
    const keys = new Set<string>();
    for (const shard of this.sessionShards) for (const key of Object.keys(shard.data.sessions)) keys.add(key);
    for (const shard of this.resultShards) for (const key of Object.keys(shard.data.results)) keys.add(key);
    return keys.size;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.sessionShards, ...this.resultShards].map((shard) => shard.flush()));
  }

  writeProblem(): string | undefined {
    return [...this.sessionShards, ...this.resultShards].find((shard) => shard.writeProblem)?.writeProblem;
  }
}
