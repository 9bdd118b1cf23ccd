import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { FEEDBACK_REASONS, type FeedbackReason, VOTES, type Vote } from '../advisor/feedback.js';
import type { Person } from '../advisor/person.js';
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
export type StoredData = z.infer<typeof dataSchema>;
export type StoredAnswer = z.infer<typeof answerSchema>;
export type UnansweredQuestion = z.infer<typeof unansweredSchema>;

export const QA_LOG_LIMITS = {
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

/** What the Q&A flows need from the log of questions asked: record, vote, forget. */
export interface QaLog {
  /**
   * Records an answer that was given, returning the id its feedback buttons carry. Written within a moment, not
   * awaited: the person is told nothing about it (votes, which they are told about, are on disk when confirmed).
   */
  logAnswer(answer: NewAnswer): Promise<string>;
  /** Records a question (or a part of one) the knowledge could not answer, for the curators. */
  logUnanswered(question: Omit<UnansweredQuestion, 'at'>): Promise<void>;
  /**
   * One vote per person per answer; voting again replaces the earlier vote.
   * Returns the vote it replaced, or 'unknown-answer' when the answer is no longer stored.
   */
  vote(answerId: string, userId: string, vote: Vote): Promise<{ previous?: Vote } | 'unknown-answer'>;
  /** The optional reason behind a "Not helpful" vote; only the voter's own not-helpful vote takes one. */
  setReason(answerId: string, userId: string, reason: FeedbackReason): Promise<boolean>;
  /** Deletes what the log holds about a person: questions they asked (answered or not) and their votes. */
  forget(person: Person): Promise<void>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

export type NewAnswer = Omit<StoredAnswer, 'at' | 'votes'>;

/**
 * The Q&A log in DATA_FILE (lowdb): answers given with their votes, and unanswered questions. Kept apart from
 * the handled-events file: every event touches that one, and it must not rewrite the answers.
 */
export class QaLogFile implements QaLog {
  constructor(
    private readonly file: DataFile<StoredData>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(
    filePath: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    now?: () => Date,
  ): Promise<QaLogFile> {
    const file = await DataFile.open(filePath, { validate: parseStoredData, defaults: emptyData, logger });
    return new QaLogFile(file, now);
  }

  /** Everything logged, as stored (for the curators' report and tests). */
  get data(): Readonly<StoredData> {
    return this.file.data;
  }

  get recoveredFrom(): string | undefined {
    return this.file.recoveredFrom;
  }

  writeProblem(): string | undefined {
    return this.file.writeProblem;
  }

  async flush(): Promise<void> {
    await this.file.flush();
  }

  async logAnswer(answer: NewAnswer): Promise<string> {
    const answers = this.file.data.answers;
    const id = `a${this.now().getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    answers[id] = {
      ...answer,
      question: answer.question.slice(0, QA_LOG_LIMITS.questionLength),
      at: this.now().toISOString(),
      votes: {},
    };
    const ids = Object.keys(answers);
    for (const old of ids.slice(0, Math.max(0, ids.length - QA_LOG_LIMITS.answers))) delete answers[old];
    this.file.changed();
    return id;
  }

  async logUnanswered(question: Omit<UnansweredQuestion, 'at'>): Promise<void> {
    const list = this.file.data.unanswered;
    list.push({
      ...question,
      question: question.question.slice(0, QA_LOG_LIMITS.questionLength),
      at: this.now().toISOString(),
    });
    if (list.length > QA_LOG_LIMITS.unanswered) list.splice(0, list.length - QA_LOG_LIMITS.unanswered);
    this.file.changed();
  }

  private answer(answerId: string): StoredAnswer | undefined {
    return Object.hasOwn(this.file.data.answers, answerId) ? this.file.data.answers[answerId] : undefined;
  }

  async vote(answerId: string, userId: string, vote: Vote): Promise<{ previous?: Vote } | 'unknown-answer'> {
    const answer = this.answer(answerId);
    if (!answer) return 'unknown-answer';
    const previous = answer.votes[userId]?.vote;
    answer.votes[userId] = { vote, at: this.now().toISOString() };
    await this.file.commit();
    return { previous };
  }

  async setReason(answerId: string, userId: string, reason: FeedbackReason): Promise<boolean> {
    const answer = this.answer(answerId);
    const current = answer && Object.hasOwn(answer.votes, userId) ? answer.votes[userId] : undefined;
    if (current?.vote !== 'not_helpful') return false;
    current.reason = reason;
    await this.file.commit();
    return true;
  }

  async forget({ teamId, userId }: Person): Promise<void> {
    const data = this.file.data;
    for (const [id, answer] of Object.entries(data.answers)) {
      if (answer.teamId === teamId && answer.userId === userId) delete data.answers[id];
      else if (answer.teamId === teamId) delete answer.votes[userId];
    }
    data.unanswered = data.unanswered.filter(
      (question) => !(question.teamId === teamId && question.userId === userId),
    );
    await this.file.commit();
  }
}
