import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { DataFile } from './data-file.js';

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

/** Handled event ids in a small lowdb file of their own beside DATA_FILE (event_id → when first seen). */
export class HandledEventsFile implements HandledEvents {
  private claimsSincePrune = 0;

  constructor(
    private readonly file: DataFile<ProcessedEvents>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(
    dataFile: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    now?: () => Date,
  ): Promise<HandledEventsFile> {
    const file = await DataFile.open<ProcessedEvents>(eventsFileFor(dataFile), {
      validate: (raw) => {
        const result = eventsSchema.safeParse(raw);
        return result.success ? result.data : undefined;
      },
      defaults: () => ({ version: 1, processedEvents: {} }),
      logger,
    });
    const events = new HandledEventsFile(file, now);
    events.prune();
    return events;
  }

  /** Handled event ids and when they were first seen. */
  get processedEvents(): Readonly<Record<string, number>> {
    return this.file.data.processedEvents;
  }

  /** Forgets event ids older than Slack's retry window (with a wide margin). */
  private prune(): void {
    const events = this.file.data.processedEvents;
    const now = this.now().getTime();
    let pruned = false;
    for (const [id, seenAt] of Object.entries(events)) {
      if (now - seenAt <= HANDLED_EVENT_LIMITS.ttlMs) continue;
      delete events[id];
      pruned = true;
    }
    if (pruned) this.file.changed();
  }

  async claim(eventId: string): Promise<boolean> {
    const events = this.file.data.processedEvents;
    if (Object.hasOwn(events, eventId)) return false;
    events[eventId] = this.now().getTime();
    if (++this.claimsSincePrune >= 100) {
      this.claimsSincePrune = 0;
      this.prune();
    }
    // On disk before the event is answered: after a crash, Slack's redelivery is not answered a second time.
    await this.file.commit();
    return true;
  }

  async release(eventId: string): Promise<void> {
    const events = this.file.data.processedEvents;
    if (!Object.hasOwn(events, eventId)) return;
    delete events[eventId];
    this.file.changed();
  }

  async flush(): Promise<void> {
    await this.file.flush();
  }

  writeProblem(): string | undefined {
    return this.file.writeProblem;
  }
}
