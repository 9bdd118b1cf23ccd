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

const userSchema = z.object({ session: sessionSchema.optional(), results: z.array(resultSchema) });
const shardSchema = z.object({ version: z.literal(1), users: z.record(z.string(), userSchema) });

export type StoredResult = z.infer<typeof resultSchema>;
type Shard = z.infer<typeof shardSchema>;

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

/**
 * Per-person state (the conversation in progress and past results), sharded over several lowdb files
 * next to DATA_FILE. A change rewrites one small shard, never megabytes: lowdb serialises the whole
 * file on every write, so one big file would make every click slower as the workspace grows.
 */
export class UserStore {
  private constructor(private readonly shards: DataFile<Shard>[]) {}

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
    const shards = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        DataFile.open<Shard>(path.join(folder, `shard-${String(index).padStart(3, '0')}.json`), {
          validate: (raw) => {
            const result = shardSchema.safeParse(raw);
            return result.success ? result.data : undefined;
          },
          defaults: () => ({ version: 1, users: {} }),
          logger,
          writeDelayMs: options.writeDelayMs,
        }),
      ),
    );
    return new UserStore(shards);
  }

  /** Damaged shard files that were moved aside at start-up. */
  get recovered(): string[] {
    return this.shards.flatMap((shard) => (shard.recoveredFrom ? [shard.recoveredFrom] : []));
  }

  private shardOf(key: string): DataFile<Shard> {
    const shard = this.shards[shardIndex(key, this.shards.length)];
    if (!shard) throw new Error('no shard');
    return shard;
  }

  getSession(key: string): QuizSession | undefined {
    return this.shardOf(key).data.users[key]?.session;
  }

  /** Stores the session (after any change to it). */
  saveSession(key: string, session: QuizSession): void {
    const shard = this.shardOf(key);
    const user = shard.data.users[key] ?? { results: [] };
    user.session = session;
    shard.data.users[key] = user;
    shard.changed();
  }

  deleteSession(key: string): void {
    const shard = this.shardOf(key);
    const user = shard.data.users[key];
    if (!user?.session) return;
    delete user.session;
    if (user.results.length === 0) delete shard.data.users[key];
    shard.changed();
  }

  /** Saves a finished result and ends the conversation, in one change. */
  finish(key: string, result: StoredResult): void {
    const shard = this.shardOf(key);
    const user = shard.data.users[key] ?? { results: [] };
    delete user.session;
    user.results.push(result);
    if (user.results.length > USER_STORE_LIMITS.resultsPerUser) user.results.shift();
    shard.data.users[key] = user;
    shard.changed();
  }

  results(key: string): StoredResult[] {
    return this.shardOf(key).data.users[key]?.results ?? [];
  }

  findResult(key: string, resultId: string): StoredResult | undefined {
    return this.results(key).find((result) => result.id === resultId);
  }

  /** Deletes everything stored about a person. */
  forget(key: string): void {
    const shard = this.shardOf(key);
    if (!(key in shard.data.users)) return;
    delete shard.data.users[key];
    shard.changed();
  }

  /** Drops conversations idle for longer than ttlMs; returns how many. */
  pruneSessions(isExpired: (session: QuizSession) => boolean): number {
    let pruned = 0;
    for (const shard of this.shards) {
      let changed = false;
      for (const [key, user] of Object.entries(shard.data.users)) {
        if (!user.session || !isExpired(user.session)) continue;
        delete user.session;
        if (user.results.length === 0) delete shard.data.users[key];
        changed = true;
        pruned++;
      }
      if (changed) shard.changed();
    }
    return pruned;
  }

  /** How many people have anything stored. */
  countUsers(): number {
    return this.shards.reduce((sum, shard) => sum + Object.keys(shard.data.users).length, 0);
  }

  async flush(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.flush()));
  }
}
