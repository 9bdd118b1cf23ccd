import { HANDLED_EVENT_LIMITS, type HandledEvents } from '../handled-events.js';
import { type Database, DatabaseWriteError, type StoreLogger } from './database.js';

/** Expired claims are deleted at least once every this many claims (and on the first). */
const PRUNE_EVERY = 100;

/**
 * Handled event ids in PostgreSQL (handled_events). A claim is `INSERT … ON CONFLICT DO NOTHING`: of several
 * replicas given the same event (Slack's retry reaching another one), exactly one gets the row. Ids older than
 * HANDLED_EVENT_LIMITS.ttlMs are deleted as claims arrive. While the database cannot be reached a claim is held
 * in this process (a retry here is refused) and written when it is back, as the file backend does with a disk
 * that refuses writes; the claim itself rejects with a `DatabaseWriteError`.
 */
export class PgHandledEvents implements HandledEvents {
  private claimsSincePrune = PRUNE_EVERY;
  /** Claims the database did not take yet: event id → when. */
  private readonly held = new Map<string, Date>();

  constructor(
    private readonly db: Database,
    private readonly logger: StoreLogger,
    private readonly now: () => Date = () => new Date(),
  ) {
    db.onRecovery(() => this.writeHeld());
  }

  async claim(eventId: string): Promise<boolean> {
    if (this.held.has(eventId)) return false;
    const at = this.now();
    let claimed: boolean;
    try {
      const { rowCount } = await this.db.query(
        'INSERT INTO handled_events (event_id, claimed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [eventId, at],
      );
      claimed = rowCount === 1;
    } catch (error) {
      this.held.set(eventId, at);
      throw new DatabaseWriteError(this.db.where, error);
    }
    if (++this.claimsSincePrune >= PRUNE_EVERY) await this.prune(at);
    return claimed;
  }

  /** Gives a claim back; never fails (a claim that stays only refuses a retry until it expires). */
  async release(eventId: string): Promise<void> {
    this.held.delete(eventId);
    try {
      await this.db.query('DELETE FROM handled_events WHERE event_id = $1', [eventId]);
    } catch (error) {
      this.logger.warn(`could not release event ${eventId} in ${this.db.where}: ${(error as Error).message}`);
    }
  }

  private async prune(now: Date): Promise<void> {
    this.claimsSincePrune = 0;
    try {
      await this.db.query('DELETE FROM handled_events WHERE claimed_at < $1', [
        new Date(now.getTime() - HANDLED_EVENT_LIMITS.ttlMs),
      ]);
    } catch (error) {
      this.logger.warn(`could not prune handled events in ${this.db.where}: ${(error as Error).message}`);
    }
  }

  private async writeHeld(): Promise<void> {
    for (const [eventId, at] of [...this.held]) {
      await this.db.query(
        'INSERT INTO handled_events (event_id, claimed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [eventId, at],
      );
      if (this.held.get(eventId) === at) this.held.delete(eventId);
    }
  }

  /** Writes the claims held while the database was away; rejects while it still is. */
  async flush(): Promise<void> {
    if (this.held.size === 0) return;
    try {
      await this.writeHeld();
    } catch (error) {
      throw new DatabaseWriteError(this.db.where, error);
    }
  }

  writeProblem(): string | undefined {
    return this.db.writeProblem();
  }

  /** Handled event ids and when they were claimed, in ms (the file backend's `processedEvents`; for tests). */
  async claimedEvents(): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ event_id: string; claimed_at: Date }>(
      'SELECT event_id, claimed_at FROM handled_events ORDER BY claimed_at',
    );
    return Object.fromEntries(rows.map((row) => [row.event_id, row.claimed_at.getTime()]));
  }
}
