import type { FeedbackReason, Vote } from '../../advisor/feedback.js';
import type { Person } from '../../advisor/person.js';
import {
  type AnsweredThread,
  emptyData,
  type NewAnswer,
  QA_LOG_LIMITS,
  type QaLog,
  type StoredData,
  type ThreadPlace,
  threadKey,
  type UnansweredQuestion,
} from '../qa-log.js';
import { type Database, DatabaseWriteError, isUnreachable, type StoreLogger } from './database.js';

/** How often a batch of records nobody waits for (answers or questions logged) is tried before it is given up. */
const RECORD_ATTEMPTS = 6;
const RECORD_RETRY_MS = 250;
/** Records written in one statement at most (well under the limits, so a batch never trims itself). */
const RECORD_BATCH = 500;

interface AnswerRow {
  kind: 'answer';
  values: [string, string, string, string, string, string[], Date];
}
interface UnansweredRow {
  kind: 'unanswered';
  values: [string, string, string, string, string[], Date];
}
type Row = AnswerRow | UnansweredRow;

const RECORD_SQL = {
  // Each statement adds the rows and drops the oldest beyond the limit; it does not see the rows it adds, so it
  // keeps that many fewer of the others ($last: the limit minus the batch).
  answer: `WITH added AS (
      INSERT INTO qa_answers (id, team_id, channel_id, user_id, question, entry_ids, at)
      SELECT id, team_id, channel_id, user_id, question, ARRAY(SELECT json_array_elements_text(entry_ids)), at
      FROM json_to_recordset($1::json)
        AS r(ordinal int, id text, team_id text, channel_id text, user_id text, question text, entry_ids json, at timestamptz)
      ORDER BY ordinal
    )
    DELETE FROM qa_answers WHERE seq <= (SELECT seq FROM qa_answers ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
  unanswered: `WITH added AS (
      INSERT INTO qa_unanswered (team_id, channel_id, user_id, question, closest_ids, at)
      SELECT team_id, channel_id, user_id, question, ARRAY(SELECT json_array_elements_text(closest_ids)), at
      FROM json_to_recordset($1::json)
        AS r(ordinal int, team_id text, channel_id text, user_id text, question text, closest_ids json, at timestamptz)
      ORDER BY ordinal
    )
    DELETE FROM qa_unanswered WHERE seq <= (SELECT seq FROM qa_unanswered ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
};

/**
 * The Q&A log in PostgreSQL (qa_answers, qa_votes, qa_unanswered), with the file backend's limits: the oldest
 * answers beyond QA_LOG_LIMITS.answers and questions beyond QA_LOG_LIMITS.unanswered are dropped as new ones
 * arrive. Recording an answer or a question is not waited for (as with the file backend): records are written in
 * the background, in order, those that arrive during a write together in the next statement, and retried for a
 * while if the database is away; a vote on an answer still being written waits for it.
 */
export class PgQaLog implements QaLog {
  private queue: { row: Row; done: () => void }[] = [];
  private writing: Promise<void> | undefined;
  /** Answers being written, by id: a vote on one waits for it. */
  private readonly pending = new Map<string, Promise<void>>();
  private lost = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: StoreLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async logAnswer(answer: NewAnswer): Promise<string> {
    const at = this.now();
    const id = `a${at.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const written = this.record({
      kind: 'answer',
      values: [
        id,
        answer.teamId,
        answer.channelId,
        answer.userId,
        storable(answer.question.slice(0, QA_LOG_LIMITS.questionLength)),
        answer.entryIds,
        at,
      ],
    });
    this.pending.set(id, written);
    void written.then(() => this.pending.delete(id));
    return id;
  }

  async logUnanswered(question: Omit<UnansweredQuestion, 'at'>): Promise<void> {
    void this.record({
      kind: 'unanswered',
      values: [
        question.teamId,
        question.channelId,
        question.userId,
        storable(question.question.slice(0, QA_LOG_LIMITS.questionLength)),
        question.closestIds,
        this.now(),
      ],
    });
  }

  /** Queues a record; resolves once it is written or given up (never rejects). */
  private record(row: Row): Promise<void> {
    const done = new Promise<void>((resolve) => this.queue.push({ row, done: resolve }));
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
    return done;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Consecutive records of one kind go together, so the log keeps the order they came in.
      const kind = (this.queue[0] as { row: Row }).row.kind;
      let count = 0;
      while (count < this.queue.length && count < RECORD_BATCH && this.queue[count]?.row.kind === kind)
        count++;
      const batch = this.queue.splice(0, count);
      await this.writeBatch(
        kind,
        batch.map(({ row }) => row),
      );
      for (const { done } of batch) done();
    }
  }

  private async writeBatch(kind: Row['kind'], rows: Row[]): Promise<void> {
    const json = JSON.stringify(
      rows.map((row, ordinal) => {
        if (row.kind === 'answer') {
          const [id, team_id, channel_id, user_id, question, entry_ids, at] = row.values;
          return { ordinal, id, team_id, channel_id, user_id, question, entry_ids, at };
        }
        const [team_id, channel_id, user_id, question, closest_ids, at] = row.values;
        return { ordinal, team_id, channel_id, user_id, question, closest_ids, at };
      }),
    );
    const limit = kind === 'answer' ? QA_LOG_LIMITS.answers : QA_LOG_LIMITS.unanswered;
    for (let tries = 1; ; tries++) {
      try {
        await this.db.query(RECORD_SQL[kind], [json, limit - rows.length]);
        return;
      } catch (error) {
        if (tries >= RECORD_ATTEMPTS || !isUnreachable(error)) {
          this.lost += rows.length;
          this.logger.error(
            `could not record ${rows.length} ${kind === 'answer' ? 'answer(s)' : 'unanswered question(s)'} in ${this.db.where}: ${(error as Error).message}`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS * 2 ** (tries - 1)));
      }
    }
  }

  async vote(answerId: string, userId: string, vote: Vote): Promise<{ previous?: Vote } | 'unknown-answer'> {
    await this.pending.get(answerId);
    try {
      const { rows } = await this.db.write<{ previous: Vote | null; stored: number }>(
        `WITH previous AS (
           SELECT vote FROM qa_votes WHERE answer_id = $1 AND user_id = $2
         ), stored AS (
           INSERT INTO qa_votes (answer_id, user_id, vote, reason, at)
           SELECT $1, $2, $3, NULL, $4 WHERE EXISTS (SELECT 1 FROM qa_answers WHERE id = $1)
           ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = EXCLUDED.vote, reason = NULL, at = EXCLUDED.at
           RETURNING 1
         )
         SELECT (SELECT vote FROM previous) AS previous, (SELECT count(*)::int FROM stored) AS stored`,
        [answerId, userId, vote, this.now()],
      );
      const row = rows[0];
      if (!row || row.stored === 0) return 'unknown-answer';
      return row.previous ? { previous: row.previous } : {};
    } catch (error) {
      // The answer was dropped (over the limit, or forgotten) between the check and the vote.
      if ((error as DatabaseWriteError).cause && codeOf((error as DatabaseWriteError).cause) === '23503')
        return 'unknown-answer';
      throw error;
    }
  }

  async setReason(answerId: string, userId: string, reason: FeedbackReason): Promise<boolean> {
    const { rowCount } = await this.db.write(
      `UPDATE qa_votes SET reason = $3 WHERE answer_id = $1 AND user_id = $2 AND vote = 'not_helpful'`,
      [answerId, userId, reason],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Remembers a thread the app answered in: written before it returns (not in the background like the records), so
   * a reply in the thread that another replica receives a moment later finds it.
   */
  async rememberThread(thread: Omit<AnsweredThread, 'at'>): Promise<void> {
    const { rows } = await this.db.write<{ inserted: boolean }>(
      `INSERT INTO qa_threads (team_id, channel_id, thread_ts, user_id, question, at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (team_id, channel_id, thread_ts)
       DO UPDATE SET user_id = EXCLUDED.user_id, question = EXCLUDED.question, at = EXCLUDED.at
       RETURNING (xmax = 0) AS inserted`,
      [
        thread.teamId,
        thread.channelId,
        thread.threadTs,
        thread.userId,
        storable(thread.question.slice(0, QA_LOG_LIMITS.questionLength)),
        this.now(),
      ],
    );
    // A thread answered again (a follow-up) adds no row: nothing can be beyond the limit.
    if (!rows[0]?.inserted) return;
    // The workspace's oldest beyond the limit go (ties at the boundary time go together). Per workspace, unlike
    // the file backend's one bound for its process: many workspaces share one database, and one busy workspace
    // must not push out the threads of the others.
    await this.db.write(
      `DELETE FROM qa_threads WHERE team_id = $1 AND at < (
         SELECT at FROM qa_threads WHERE team_id = $1 ORDER BY at DESC OFFSET $2 LIMIT 1
       )`,
      [thread.teamId, QA_LOG_LIMITS.threads - 1],
    );
  }

  async answeredThread(place: ThreadPlace): Promise<AnsweredThread | undefined> {
    const { rows } = await this.db.query<{ user_id: string; question: string; at: Date }>(
      'SELECT user_id, question, at FROM qa_threads WHERE team_id = $1 AND channel_id = $2 AND thread_ts = $3',
      [place.teamId, place.channelId, place.threadTs],
    );
    const row = rows[0];
    return row && { ...place, userId: row.user_id, question: row.question, at: row.at.toISOString() };
  }

  /** Deletes what the log holds about a person, after what is still being recorded (which may be theirs). */
  async forget({ teamId, userId }: Person): Promise<void> {
    await this.settle();
    await this.db.transaction(async (client) => {
      await client.query(
        `DELETE FROM qa_votes v USING qa_answers a
         WHERE v.answer_id = a.id AND a.team_id = $1 AND v.user_id = $2`,
        [teamId, userId],
      );
      await client.query('DELETE FROM qa_answers WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
      await client.query('DELETE FROM qa_unanswered WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
      await client.query('DELETE FROM qa_threads WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
    });
  }

  /** Deletes everything the log holds about the workspaces (the app was uninstalled there). */
  async forgetWorkspaces(teamIds: readonly string[]): Promise<void> {
    if (teamIds.length === 0) return;
    await this.settle();
    await this.db.transaction(async (client) => {
      // Votes go with their answers (ON DELETE CASCADE): people vote on answers in their own workspace.
      await client.query('DELETE FROM qa_answers WHERE team_id = ANY($1)', [[...teamIds]]);
      await client.query('DELETE FROM qa_unanswered WHERE team_id = ANY($1)', [[...teamIds]]);
      await client.query('DELETE FROM qa_threads WHERE team_id = ANY($1)', [[...teamIds]]);
    });
  }

  /** Deletes the questions asked before `cutoff`, their votes with them; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    await this.settle();
    return this.db.transaction(async (client) => {
      const answers = await client.query('DELETE FROM qa_answers WHERE at < $1', [cutoff]);
      const unanswered = await client.query('DELETE FROM qa_unanswered WHERE at < $1', [cutoff]);
      await client.query('DELETE FROM qa_threads WHERE at < $1', [cutoff]);
      return (answers.rowCount ?? 0) + (unanswered.rowCount ?? 0);
    });
  }

  /** Waits until everything queued so far is written (or given up). */
  private async settle(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Waits for what is being recorded; rejects if something could not be recorded since the last flush. */
  async flush(): Promise<void> {
    await this.settle();
    if (this.lost > 0) {
      const lost = this.lost;
      this.lost = 0;
      throw new DatabaseWriteError(this.db.where, new Error(`${lost} Q&A record(s) could not be written`));
    }
  }

  writeProblem(): string | undefined {
    return this.db.writeProblem();
  }

  /** Everything logged, in the file backend's shape (for the curators' report and tests). */
  async read(scope?: { teamId: string }): Promise<StoredData> {
    await this.settle();
    const data = emptyData();
    // Scoped to a workspace: its rows only (by the team_id indexes), and no threads.
    const team = scope ? [scope.teamId] : [];
    const inTeam = scope ? 'WHERE team_id = $1' : '';
    const answers = await this.db.query<{
      id: string;
      team_id: string;
      channel_id: string;
      user_id: string;
      question: string;
      entry_ids: string[];
      at: Date;
    }>(
      `SELECT id, team_id, channel_id, user_id, question, entry_ids, at FROM qa_answers ${inTeam} ORDER BY seq`,
      team,
    );
    for (const row of answers.rows)
      data.answers[row.id] = {
        teamId: row.team_id,
        channelId: row.channel_id,
        userId: row.user_id,
        question: row.question,
        entryIds: row.entry_ids,
        at: row.at.toISOString(),
        votes: {},
      };
    const votes = await this.db.query<{
      answer_id: string;
      user_id: string;
      vote: Vote;
      reason: FeedbackReason | null;
      at: Date;
    }>(
      scope
        ? `SELECT v.answer_id, v.user_id, v.vote, v.reason, v.at FROM qa_votes v
           JOIN qa_answers a ON a.id = v.answer_id WHERE a.team_id = $1 ORDER BY v.at`
        : 'SELECT answer_id, user_id, vote, reason, at FROM qa_votes ORDER BY at',
      team,
    );
    for (const row of votes.rows) {
      const answer = data.answers[row.answer_id];
      if (answer)
        answer.votes[row.user_id] = {
          vote: row.vote,
          ...(row.reason ? { reason: row.reason } : {}),
          at: row.at.toISOString(),
        };
    }
    const unanswered = await this.db.query<{
      team_id: string;
      channel_id: string;
      user_id: string;
      question: string;
      closest_ids: string[];
      at: Date;
    }>(
      `SELECT team_id, channel_id, user_id, question, closest_ids, at FROM qa_unanswered ${inTeam} ORDER BY seq`,
      team,
    );
    data.unanswered = unanswered.rows.map((row) => ({
      teamId: row.team_id,
      channelId: row.channel_id,
      userId: row.user_id,
      question: row.question,
      closestIds: row.closest_ids,
      at: row.at.toISOString(),
    }));
    if (scope) return data;
    const threads = await this.db.query<{
      team_id: string;
      channel_id: string;
      thread_ts: string;
      user_id: string;
      question: string;
      at: Date;
    }>('SELECT team_id, channel_id, thread_ts, user_id, question, at FROM qa_threads ORDER BY at');
    for (const row of threads.rows) {
      const thread = {
        teamId: row.team_id,
        channelId: row.channel_id,
        threadTs: row.thread_ts,
        userId: row.user_id,
        question: row.question,
        at: row.at.toISOString(),
      };
      data.threads[threadKey(thread)] = thread;
    }
    return data;
  }
}

/** PostgreSQL text cannot hold NUL: it becomes U+FFFD (same length, so the length limit is unchanged). */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown })?.code;
}
