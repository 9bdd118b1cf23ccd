import type pg from 'pg';
import type { PersonLock } from '../person-lock.js';
import { type Database, DatabaseWriteError } from './database.js';

/** The advisory-lock namespace of person locks ('pmap'); the key's hash is the second number. */
const PERSON_LOCK_NAMESPACE = 0x706d6170;

/**
 * A person's lock across every replica on the database: a session advisory lock on a connection of its own
 * (`Database.lockPool`, so the statements run under the lock never wait for a connection the locks hold), taken
 * after the work already queued for the key in this process, so a process holds at most one connection per key.
 * Two keys whose hashes collide merely wait for each other. If the connection breaks, the server releases the lock.
 */
export class PgPersonLock implements PersonLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Database) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const locked = () => this.holding(key, work);
    const mine = before.then(locked, locked);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private async holding<T>(key: string, work: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.db.lockPool.connect();
      await client
        .query('SELECT pg_advisory_lock($1, hashtext($2))', [PERSON_LOCK_NAMESPACE, key])
        .catch((error) => {
          client.release(error as Error);
          throw error;
        });
    } catch (error) {
      // No change can be stored without the lock: the same answer as a refused write.
      throw new DatabaseWriteError(this.db.where, this.db.noted(error));
    }
    let broken: Error | undefined;
    try {
      return await work();
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [PERSON_LOCK_NAMESPACE, key])
        .catch((error: Error) => {
          broken = error;
        });
      client.release(broken);
    }
  }

  /** Keys with work running or waiting in this process (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
