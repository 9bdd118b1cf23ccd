import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { FEEDBACK_REASONS, type FeedbackReason, VOTES, type Vote } from '../advisor/feedback.js';
import { DataFile } from './data-file.js';

const voteSchema = z.object({
  vote: z.enum(VOTES),
  reason: z.enum(FEEDBACK_REASONS).optional(),
  at: z.string(),
});
const answerSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  question: z.string(),
  entryIds: z.array(z.string()),
  at: z.string(),
  votes: z.record(z.string(), voteSchema),
});
const unansweredSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  question: z.string(),
  closestIds: z.array(z.string()),
  at: z.string(),
});
const dataSchema = z.object({
  version: z.literal(1),
  answers: z.record(z.string(), answerSchema),
  unanswered: z.array(unansweredSchema),
});
const eventsSchema = z.object({
  version: z.literal(1),
  /** Events already handled (event_id → when), so a retried delivery is never answered twice. */
  processedEvents: z.record(z.string(), z.number()),
});
type ProcessedEvents = z.infer<typeof eventsSchema>;

export type StoredData = z.infer<typeof dataSchema>;
export type StoredAnswer = z.infer<typeof answerSchema>;
export type UnansweredQuestion = z.infer<typeof unansweredSchema>;

export const STORE_LIMITS = {
  /** Slack retries an event for a few minutes at most; an hour is a wide margin. */
  processedEventTtlMs: 60 * 60 * 1000,
  answers: 5_000,
  unanswered: 2_000,
  questionLength: 500,
} as const;

export function emptyData(): StoredData {
  return { version: 1, answers: {}, unanswered: [] };
}

export function parseStoredData(raw: unknown): StoredData | undefined {
  const result = dataSchema.safeParse(raw);
  return result.success ? result.data : undefined;
}

/** The events file beside a data file: data/db.json → data/db.events.json. */
export function eventsFileFor(dataFile: string): string {
  const parsed = path.parse(dataFile);
  return path.join(parsed.dir, `${parsed.name}.events.json`);
}

/**
 * The app's persistent state: answers with their votes and unanswered questions in DATA_FILE, and the ids of
 * handled events in a small file of their own: every event touches those, and it must not rewrite the answers.
 */
export class AdvisorStore {
  private claimsSincePrune = 0;

  constructor(
    private readonly file: DataFile<StoredData>,
    private readonly events: DataFile<ProcessedEvents>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(
    filePath: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    now?: () => Date,
  ): Promise<AdvisorStore> {
    const [file, events] = await Promise.all([
      DataFile.open(filePath, { validate: parseStoredData, defaults: emptyData, logger }),
      DataFile.open<ProcessedEvents>(eventsFileFor(filePath), {
        validate: (raw) => {
          const result = eventsSchema.safeParse(raw);
          return result.success ? result.data : undefined;
        },
        defaults: () => ({ version: 1, processedEvents: {} }),
        logger,
      }),
    ]);
    const store = new AdvisorStore(file, events, now);
    store.pruneEvents();
    return store;
  }

  /** Forgets processed event ids older than Slack's retry window (with a wide margin). */
  private pruneEvents(): void {
    const events = this.events.data.processedEvents;
    const now = this.now().getTime();
    let pruned = false;
    for (const [id, seenAt] of Object.entries(events)) {
      if (now - seenAt <= STORE_LIMITS.processedEventTtlMs) continue;
      delete events[id];
      pruned = true;
    }
    if (pruned) this.events.changed();
  }

  get data(): Readonly<StoredData> {
    return this.file.data;
  }

  /** Handled event ids and when they were first seen. */
  get processedEvents(): Readonly<Record<string, number>> {
    return this.events.data.processedEvents;
  }

  get recoveredFrom(): string | undefined {
    return this.file.recoveredFrom;
  }

  async flush(): Promise<void> {
    await Promise.all([this.file.flush(), this.events.flush()]);
  }

  /** True the first time an event id is seen; false for a retry or duplicate delivery. */
  claimEvent(eventId: string): boolean {
    const events = this.events.data.processedEvents;
    if (Object.hasOwn(events, eventId)) return false;
    events[eventId] = this.now().getTime();
    if (++this.claimsSincePrune >= 100) {
      this.claimsSincePrune = 0;
      this.pruneEvents();
    }
    this.events.changed();
    return true;
  }

  /** Records an answer that was given, returning the id its feedback buttons carry. */
  recordAnswer(answer: Omit<StoredAnswer, 'at' | 'votes' | 'question'> & { question: string }): string {
    const answers = this.file.data.answers;
    const id = `a${this.now().getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    answers[id] = {
      ...answer,
      question: answer.question.slice(0, STORE_LIMITS.questionLength),
      at: this.now().toISOString(),
      votes: {},
    };
    const ids = Object.keys(answers);
    for (const old of ids.slice(0, Math.max(0, ids.length - STORE_LIMITS.answers))) delete answers[old];
    this.file.changed();
    return id;
  }

  recordUnanswered(question: Omit<UnansweredQuestion, 'at'>): void {
    const list = this.file.data.unanswered;
    list.push({
      ...question,
      question: question.question.slice(0, STORE_LIMITS.questionLength),
      at: this.now().toISOString(),
    });
    if (list.length > STORE_LIMITS.unanswered) list.splice(0, list.length - STORE_LIMITS.unanswered);
    this.file.changed();
  }

  /**
   * One vote per person per answer; voting again replaces the earlier vote.
   * Returns the vote it replaced, or 'unknown-answer' when the answer is no longer stored.
   */
  vote(answerId: string, userId: string, vote: Vote): { previous?: Vote } | 'unknown-answer' {
    const answer = Object.hasOwn(this.file.data.answers, answerId)
      ? this.file.data.answers[answerId]
      : undefined;
    if (!answer) return 'unknown-answer';
    const previous = answer.votes[userId]?.vote;
    answer.votes[userId] = { vote, at: this.now().toISOString() };
    this.file.changed();
    return { previous };
  }

  /** The optional reason behind a "Not helpful" vote; only the voter's own not-helpful vote takes one. */
  setReason(answerId: string, userId: string, reason: FeedbackReason): boolean {
    const answer = Object.hasOwn(this.file.data.answers, answerId)
      ? this.file.data.answers[answerId]
      : undefined;
    const current = answer && Object.hasOwn(answer.votes, userId) ? answer.votes[userId] : undefined;
    if (current?.vote !== 'not_helpful') return false;
    current.reason = reason;
    this.file.changed();
    return true;
  }

  /** Deletes what this store holds about a person: questions they asked (answered or not) and their votes. */
  forgetUser(teamId: string, userId: string): void {
    const data = this.file.data;
    for (const [id, answer] of Object.entries(data.answers)) {
      if (answer.teamId === teamId && answer.userId === userId) delete data.answers[id];
      else if (answer.teamId === teamId) delete answer.votes[userId];
    }
    data.unanswered = data.unanswered.filter(
      (question) => !(question.teamId === teamId && question.userId === userId),
    );
    this.file.changed();
  }
}
