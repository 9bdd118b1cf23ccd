import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import type { QuizSession } from '../advisor/questionnaire.js';
import { DataFile } from './data-file.js';

const sessionSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string(),
  channelId: z.string(),
  factorIds: z.array(z.string()),
  answers: z.record(z.string(), z.string()),
  step: z.number().int().min(0),
  questionTs: z.record(z.string(), z.string()),
  startedAt: z.string(),
  updatedAt: z.string(),
});

const resultSchema = z.object({
  id: z.string(),
  at: z.string(),
  /** The leaning role id, or absent when balanced. */
  leanRoleId: z.string().optional(),
  strength: z.string(),
  totals: z.record(z.string(), z.number()),
  answers: z.record(z.string(), z.string()),
});

const sessionShardSchema = z.object({ version: z.literal(1), sessions: z.record(z.string(), sessionSchema) });
const resultShardSchema = z.object({
  version: z.literal(1),
  results: z.record(z.string(), z.array(resultSchema)),
});

export type StoredResult = z.infer<typeof resultSchema>;
type SessionShard = z.infer<typeof sessionShardSchema>;
type ResultShard = z.infer<typeof resultShardSchema>;

export const USER_STORE_LIMITS = {
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

export function userKey(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

async function openShards<T>(
  folder: string,
  prefix: string,
  count: number,
  schema: z.ZodType<T>,
  defaults: () => T,
  logger: Pick<Logger, 'warn' | 'error'>,
  writeDelayMs: number | undefined,
): Promise<DataFile<T>[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      DataFile.open<T>(path.join(folder, `${prefix}-${String(index).padStart(3, '0')}.json`), {
        validate: (raw) => {
          const result = schema.safeParse(raw);
          return result.success ? result.data : undefined;
        },
        defaults,
        logger,
        writeDelayMs,
      }),
    ),
  );
}

/**
 * Per-person state in lowdb files beside DATA_FILE, kept in two sharded sets: conversations in progress
 * (changed on every answer, so small and quick to rewrite) apart from past results (which only grow and are
 * written once per finished conversation). lowdb serialises a whole file on every write; sharding and this
 * split keep each write to a few kilobytes however many people are stored.
 */
export class UserStore {
  private constructor(
    private readonly sessionShards: DataFile<SessionShard>[],
    private readonly resultShards: DataFile<ResultShard>[],
  ) {}

  static readonly DEFAULT_SHARDS = 64;

  /** The folder of shard files that belongs to a data file: data/db.json → data/db.users/. */
  static folderFor(dataFile: string): string {
    const parsed = path.parse(dataFile);
    return path.join(parsed.dir, `${parsed.name}.users`);
  }

  static async open(
    dataFile: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    options: { shards?: number; writeDelayMs?: number } = {},
  ): Promise<UserStore> {
    const count = options.shards ?? UserStore.DEFAULT_SHARDS;
    const folder = UserStore.folderFor(dataFile);
    const [sessions, results] = await Promise.all([
      openShards<SessionShard>(
        folder,
        'sessions',
        count,
        sessionShardSchema,
        () => ({ version: 1, sessions: {} }),
        logger,
        options.writeDelayMs,
      ),
      openShards<ResultShard>(
        folder,
        'results',
        count,
        resultShardSchema,
        () => ({ version: 1, results: {} }),
        logger,
        options.writeDelayMs,
      ),
    ]);
    return new UserStore(sessions, results);
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

  getSession(key: string): QuizSession | undefined {
    const sessions = this.shardOf(this.sessionShards, key).data.sessions;
    return Object.hasOwn(sessions, key) ? sessions[key] : undefined;
  }

  /** Stores the session (after any change to it). */
  saveSession(key: string, session: QuizSession): void {
    const shard = this.shardOf(this.sessionShards, key);
    shard.data.sessions[key] = session;
    shard.changed();
  }

  deleteSession(key: string): void {
    const shard = this.shardOf(this.sessionShards, key);
    if (!Object.hasOwn(shard.data.sessions, key)) return;
    delete shard.data.sessions[key];
    shard.changed();
  }

  /** Saves a finished result and ends the conversation. */
  finish(key: string, result: StoredResult): void {
    this.deleteSession(key);
    const shard = this.shardOf(this.resultShards, key);
    const results = Object.hasOwn(shard.data.results, key) ? (shard.data.results[key] ?? []) : [];
    results.push(result);
    if (results.length > USER_STORE_LIMITS.resultsPerUser) results.shift();
    shard.data.results[key] = results;
    shard.changed();
  }

  results(key: string): StoredResult[] {
    const results = this.shardOf(this.resultShards, key).data.results;
    return Object.hasOwn(results, key) ? (results[key] ?? []) : [];
  }

  findResult(key: string, resultId: string): StoredResult | undefined {
    return this.results(key).find((result) => result.id === resultId);
  }

  /** Deletes everything stored about a person: the conversation in progress and every result. */
  forget(key: string): void {
    this.deleteSession(key);
    const shard = this.shardOf(this.resultShards, key);
    if (!Object.hasOwn(shard.data.results, key)) return;
    delete shard.data.results[key];
    shard.changed();
  }

  /** Drops the conversations the predicate calls expired; returns how many. */
  pruneSessions(isExpired: (session: QuizSession) => boolean): number {
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
}
