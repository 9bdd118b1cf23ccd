import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { FEEDBACK_REASONS, type FeedbackReason, VOTES, type Vote } from '../advisor/feedback.js';
import type { Person } from '../advisor/person.js';
import { JournalFile } from './journal-file.js';

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
/** A thread the app answered in, and the question it last answered there: a follow-up's context. */
const threadSchema = z.object({
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  /** Who asked that question. */
  userId: z.string(),
  question: z.string(),
  at: z.string(),
});
const dataSchema = z.object({
  version: z.literal(1),
  answers: z.record(z.string(), answerSchema),
  unanswered: z.array(unansweredSchema),
  /** By `threadKey`, oldest first (a file from before threads were kept has none). */
  threads: z.record(z.string(), threadSchema).default({}),
});
export type StoredData = z.infer<typeof dataSchema>;
export type StoredAnswer = z.infer<typeof answerSchema>;
export type UnansweredQuestion = z.infer<typeof unansweredSchema>;
export type AnsweredThread = z.infer<typeof threadSchema>;
/** Where a thread is: its workspace, channel and parent message. */
export type ThreadPlace = Pick<AnsweredThread, 'teamId' | 'channelId' | 'threadTs'>;

export const QA_LOG_LIMITS = {
  answers: 5_000,
  unanswered: 2_000,
  /** Threads remembered for follow-ups (the oldest answered forgotten first). */
  threads: 5_000,
  questionLength: 500,
} as const;

export function emptyData(): StoredData {
  return { version: 1, answers: {}, unanswered: [], threads: {} };
}

/** The one key of a thread in the stores. */
export function threadKey({ teamId, channelId, threadTs }: ThreadPlace): string {
  return `${teamId}:${channelId}:${threadTs}`;
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
  /**
   * Deletes what the log holds about everyone in these workspaces (the app was uninstalled there): every answer
   * and unanswered question asked there, and every vote cast from there.
   */
  forgetWorkspaces(teamIds: readonly string[]): Promise<void>;
  /** Deletes the questions (answered, with their votes, and unanswered) asked before `cutoff`; returns how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
  /**
   * Everything logged, as stored, with what is still being recorded: answers with their votes and reasons,
   * unanswered questions oldest first (for the curators' report and the curators' part of the Home tab).
   * Read-only: the caller must not change it. With `teamId`, that workspace's answers (with their votes) and
   * unanswered questions only, and no threads: what the curators' part of its Home tab needs, read without the
   * other workspaces' rows.
   */
  read(scope?: { teamId: string }): Promise<Readonly<StoredData>>;
  /**
   * Remembers that the app answered in a thread, with the question it answered (the latest one replaces an earlier
   * one): replies there are follow-ups. Forgotten with the person's questions, their workspace, and after the
   * retention period, like them.
   */
  rememberThread(thread: Omit<AnsweredThread, 'at'>): Promise<void>;
  /** The thread the app answered in, if it did (and it is still remembered). */
  answeredThread(place: ThreadPlace): Promise<AnsweredThread | undefined>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

export type NewAnswer = Omit<StoredAnswer, 'at' | 'votes'>;

const opSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('answer'), id: z.string(), answer: answerSchema }),
  z.object({ t: z.literal('unanswered'), question: unansweredSchema }),
  z.object({ t: z.literal('vote'), id: z.string(), userId: z.string(), vote: voteSchema }),
  z.object({ t: z.literal('reason'), id: z.string(), userId: z.string(), reason: z.enum(FEEDBACK_REASONS) }),
  z.object({ t: z.literal('forget'), teamId: z.string(), userId: z.string() }),
  z.object({ t: z.literal('forget-workspaces'), teamIds: z.array(z.string()) }),
  z.object({ t: z.literal('expire'), before: z.string() }),
  z.object({ t: z.literal('thread'), thread: threadSchema }),
]);
type QaOp = z.infer<typeof opSchema>;

/** The log in memory: what is stored, plus the bookkeeping that keeps recording an answer independent of its size. */
interface QaState {
  data: StoredData;
  /** Answer ids oldest first (some may be deleted since); `head` is the oldest still to look at. */
  order: string[];
  head: number;
  count: number;
  /** How many threads are kept: counted, not read off the record (Object.keys of 5,000 on every answer). */
  threadCount: number;
}

function stateOf(data: StoredData): QaState {
  const order = Object.keys(data.answers);
  return { data, order, head: 0, count: order.length, threadCount: Object.keys(data.threads).length };
}

function has<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Applies one change to the log (when made, and again when the journal is replayed at start-up). */
function applyQaOp(state: QaState, op: QaOp): void {
  const { data } = state;
  switch (op.t) {
    case 'answer': {
      if (!has(data.answers, op.id)) {
        state.order.push(op.id);
        state.count++;
      }
      data.answers[op.id] = op.answer;
      while (state.count > QA_LOG_LIMITS.answers && state.head < state.order.length) {
        const oldest = state.order[state.head++] as string;
        if (!has(data.answers, oldest)) continue;
        delete data.answers[oldest];
        state.count--;
      }
      if (state.head > 1_024 && state.head * 2 > state.order.length) {
        state.order = state.order.slice(state.head);
        state.head = 0;
      }
      return;
    }
    case 'unanswered':
      data.unanswered.push(op.question);
      if (data.unanswered.length > QA_LOG_LIMITS.unanswered)
        data.unanswered.splice(0, data.unanswered.length - QA_LOG_LIMITS.unanswered);
      return;
    case 'vote': {
      const answer = has(data.answers, op.id);
      if (answer) answer.votes[op.userId] = op.vote;
      return;
    }
    case 'reason': {
      const current = has(has(data.answers, op.id)?.votes ?? {}, op.userId);
      if (current?.vote === 'not_helpful') current.reason = op.reason;
      return;
    }
    case 'forget': {
      for (const [id, answer] of Object.entries(data.answers)) {
        if (answer.teamId !== op.teamId) continue;
        if (answer.userId === op.userId) {
          delete data.answers[id];
          state.count--;
        } else delete answer.votes[op.userId];
      }
      data.unanswered = data.unanswered.filter(
        (question) => !(question.teamId === op.teamId && question.userId === op.userId),
      );
      deleteThreads(state, (thread) => thread.teamId === op.teamId && thread.userId === op.userId);
      return;
    }
    case 'forget-workspaces': {
      const teams = new Set(op.teamIds);
      // Votes are kept by user id only: a voter from a forgotten workspace is one whose answer was asked there
      // (people vote on answers in their own workspace).
      deleteAnswers(state, (answer) => teams.has(answer.teamId));
      data.unanswered = data.unanswered.filter((question) => !teams.has(question.teamId));
      deleteThreads(state, (thread) => teams.has(thread.teamId));
      return;
    }
    case 'expire':
      // ISO 8601 times in UTC compare as strings.
      deleteAnswers(state, (answer) => answer.at < op.before);
      data.unanswered = data.unanswered.filter((question) => question.at >= op.before);
      deleteThreads(state, (thread) => thread.at < op.before);
      return;
    case 'thread': {
      const key = threadKey(op.thread);
      // Moved to the end: the newest answered, the last forgotten.
      if (has(data.threads, key)) delete data.threads[key];
      else state.threadCount++;
      data.threads[key] = op.thread;
      // (for…in lists every key before its first step: entered only when one must go.)
      if (state.threadCount > QA_LOG_LIMITS.threads)
        for (const oldest in data.threads) {
          if (state.threadCount <= QA_LOG_LIMITS.threads) break;
          delete data.threads[oldest];
          state.threadCount--;
        }
      return;
    }
  }
}

function deleteThreads(state: QaState, doomed: (thread: AnsweredThread) => boolean): void {
  const { threads } = state.data;
  for (const [key, thread] of Object.entries(threads))
    if (doomed(thread)) {
      delete threads[key];
      state.threadCount--;
    }
}

function deleteAnswers(state: QaState, doomed: (answer: StoredAnswer) => boolean): void {
  for (const [id, answer] of Object.entries(state.data.answers)) {
    if (!doomed(answer)) continue;
    delete state.data.answers[id];
    state.count--;
  }
}

const QA_LOG_FILE = {
  parse: (raw: unknown) => {
    const data = parseStoredData(raw);
    return data && stateOf(data);
  },
  toJson: (state: QaState) => state.data,
  defaults: () => stateOf(emptyData()),
  parseOp: (raw: unknown) => {
    const result = opSchema.safeParse(raw);
    return result.success ? result.data : undefined;
  },
  apply: applyQaOp,
};

/**
 * The Q&A log in DATA_FILE: answers given with their votes, and unanswered questions, as a snapshot plus a
 * journal of changes (`JournalFile`), so recording one costs one appended line however long the log. Kept apart
 * from the handled-events file: every event touches that one.
 */
export class QaLogFile implements QaLog {
  constructor(
    private readonly file: JournalFile<QaState, QaOp>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static async open(
    filePath: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    now?: () => Date,
    options: { compactFloorBytes?: number } = {},
  ): Promise<QaLogFile> {
    const file = await JournalFile.open(filePath, { ...QA_LOG_FILE, logger, ...options });
    return new QaLogFile(file, now);
  }

  /** The log as a start would read it, changing no file (for the curators' report beside a running app). */
  static async read(filePath: string, logger: Pick<Logger, 'warn' | 'error'>): Promise<StoredData> {
    return (await JournalFile.read(filePath, { ...QA_LOG_FILE, logger })).data;
  }

  /** Everything logged, as stored (for the curators' report and tests). */
  get data(): Readonly<StoredData> {
    return this.file.data.data;
  }

  /** What is recorded is applied in memory at once, so the log in memory is the whole log. */
  async read(scope?: { teamId: string }): Promise<Readonly<StoredData>> {
    if (!scope) return this.data;
    const inTeam = ({ teamId }: { teamId: string }) => teamId === scope.teamId;
    return {
      version: 1,
      answers: Object.fromEntries(Object.entries(this.data.answers).filter(([, answer]) => inTeam(answer))),
      unanswered: this.data.unanswered.filter(inTeam),
      threads: {},
    };
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

  async close(): Promise<void> {
    await this.file.close();
  }

  async logAnswer(answer: NewAnswer): Promise<string> {
    const id = `a${this.now().getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.file.record({
      t: 'answer',
      id,
      answer: {
        ...answer,
        question: answer.question.slice(0, QA_LOG_LIMITS.questionLength),
        at: this.now().toISOString(),
        votes: {},
      },
    });
    return id;
  }

  async logUnanswered(question: Omit<UnansweredQuestion, 'at'>): Promise<void> {
    this.file.record({
      t: 'unanswered',
      question: {
        ...question,
        question: question.question.slice(0, QA_LOG_LIMITS.questionLength),
        at: this.now().toISOString(),
      },
    });
  }

  async rememberThread(thread: Omit<AnsweredThread, 'at'>): Promise<void> {
    this.file.record({
      t: 'thread',
      thread: {
        ...thread,
        question: thread.question.slice(0, QA_LOG_LIMITS.questionLength),
        at: this.now().toISOString(),
      },
    });
  }

  async answeredThread(place: ThreadPlace): Promise<AnsweredThread | undefined> {
    const thread = has(this.data.threads, threadKey(place));
    return thread && { ...thread };
  }

  private answer(answerId: string): StoredAnswer | undefined {
    return has(this.data.answers, answerId);
  }

  async vote(answerId: string, userId: string, vote: Vote): Promise<{ previous?: Vote } | 'unknown-answer'> {
    const answer = this.answer(answerId);
    if (!answer) return 'unknown-answer';
    const previous = has(answer.votes, userId)?.vote;
    await this.file.commit({ t: 'vote', id: answerId, userId, vote: { vote, at: this.now().toISOString() } });
    return { previous };
  }

  async setReason(answerId: string, userId: string, reason: FeedbackReason): Promise<boolean> {
    const current = has(this.answer(answerId)?.votes ?? {}, userId);
    if (current?.vote !== 'not_helpful') return false;
    await this.file.commit({ t: 'reason', id: answerId, userId, reason });
    return true;
  }

  /** Deletes what the log holds about a person; the journal is compacted at once, so no line about them stays. */
  async forget({ teamId, userId }: Person): Promise<void> {
    await this.file.commit({ t: 'forget', teamId, userId });
    await this.file.compact();
  }

  /** Deletes what the log holds about these workspaces; the journal is compacted at once, as for "forget me". */
  async forgetWorkspaces(teamIds: readonly string[]): Promise<void> {
    if (teamIds.length === 0) return;
    await this.file.commit({ t: 'forget-workspaces', teamIds: [...teamIds] });
    await this.file.compact();
  }

  /** Deletes the questions asked before `cutoff` (their votes with them); compacts when it deleted any. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const before = cutoff.toISOString();
    const { answers, unanswered } = this.data;
    const count =
      Object.values(answers).filter((answer) => answer.at < before).length +
      unanswered.filter((question) => question.at < before).length;
    // Threads go with them (not counted: they are no questions of their own, only the context of one).
    if (count === 0 && !Object.values(this.data.threads).some((thread) => thread.at < before)) return 0;
    await this.file.commit({ t: 'expire', before });
    await this.file.compact();
    return count;
  }
}
