import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { JournalFile } from './journal-file.js';

/** What the listeners need to answer each Slack event once: Slack retries a delivery it saw no ack for. */
export interface HandledEvents {
  /** True the first time an event id is seen; false for a retry or duplicate delivery. */
  claim(eventId: string): Promise<boolean>;
  /** Gives a claim back when handling it failed, so trying again is not refused as a duplicate. */
  release(eventId: string): Promise<void>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

const eventsSchema = z.object({
  version: z.literal(1),
  /** Events already handled (event_id → when), so a retried delivery is never answered twice. */
  processedEvents: z.record(z.string(), z.number()),
});
export type ProcessedEvents = z.infer<typeof eventsSchema>;

export const HANDLED_EVENT_LIMITS = {
  /** Slack retries an event for a few minutes at most; an hour is a wide margin. */
  ttlMs: 60 * 60 * 1000,
} as const;

/** The events file beside a data file: data/db.json → data/db.events.json. */
export function eventsFileFor(dataFile: string): string {
  const parsed = path.parse(dataFile);
  return path.join(parsed.dir, `${parsed.name}.events.json`);
}

const opSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('claim'), id: z.string(), at: z.number() }),
  z.object({ t: z.literal('release'), id: z.string() }),
]);
type EventOp = z.infer<typeof opSchema>;

/** Event id → when first seen, in the order seen (so expiry looks only at the oldest). */
type Seen = Map<string, number>;

/** Forgets event ids older than Slack's retry window (with a wide margin): only the oldest are looked at. */
function expire(seen: Seen, now: number): void {
  for (const [id, at] of seen) {
    if (now - at <= HANDLED_EVENT_LIMITS.ttlMs) return;
    seen.delete(id);
  }
}

/** Handled event ids in a small file of their own beside DATA_FILE: a snapshot plus a journal of claims. */
export class HandledEventsFile implements HandledEvents {
  constructor(
    private readonly file: JournalFile<Seen, EventOp>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(
    dataFile: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    now: () => Date = () => new Date(),
  ): Promise<HandledEventsFile> {
    const file = await JournalFile.open<Seen, EventOp>(eventsFileFor(dataFile), {
      parse: (raw) => {
        const result = eventsSchema.safeParse(raw);
        if (!result.success) return undefined;
        // Oldest first, whatever order the file has them in.
        return new Map(Object.entries(result.data.processedEvents).sort((a, b) => a[1] - b[1]));
      },
      toJson: (seen): ProcessedEvents => ({ version: 1, processedEvents: Object.fromEntries(seen) }),
      defaults: () => new Map(),
      parseOp: (raw) => {
        const result = opSchema.safeParse(raw);
        return result.success ? result.data : undefined;
      },
      apply: (seen, op) => {
        if (op.t === 'release') seen.delete(op.id);
        else if (!seen.has(op.id)) seen.set(op.id, op.at);
      },
      logger,
    });
    expire(file.data, now().getTime());
    return new HandledEventsFile(file, now);
  }

  /** Handled event ids and when they were first seen. */
  get processedEvents(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.file.data);
  }

  async claim(eventId: string): Promise<boolean> {
    const seen = this.file.data;
    if (seen.has(eventId)) return false;
    const now = this.now().getTime();
    expire(seen, now);
    // On disk before the event is answered: after a crash, Slack's redelivery is not answered a second time.
    await this.file.commit({ t: 'claim', id: eventId, at: now });
    return true;
  }

  async release(eventId: string): Promise<void> {
    if (!this.file.data.has(eventId)) return;
    this.file.record({ t: 'release', id: eventId });
  }

  async flush(): Promise<void> {
    await this.file.flush();
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  writeProblem(): string | undefined {
    return this.file.writeProblem;
  }
}
