import type { QuestionnaireSession } from '../../advisor/questionnaire.js';
import type { SavedResult } from '../../advisor/scoring.js';
import { QUESTIONNAIRE_STORE_LIMITS, type QuestionnaireStore } from '../questionnaire-store.js';
import type { Database } from './database.js';

/** The workspace a person key (`T…:U…`, advisor/person.ts) belongs to, kept beside each row. */
function teamOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

/** Sessions read at a time when pruning. */
const PRUNE_BATCH = 500;

/**
 * Questionnaires in PostgreSQL: one row per person in progress (questionnaire_sessions), one row per past result
 * (questionnaire_results). `finish` deletes the questionnaire and adds its result in one transaction. Changes to
 * one person's questionnaire from several replicas are kept one at a time by `PgPersonLock`, under which the
 * flows read, change and save.
 */
export class PgQuestionnaireStore implements QuestionnaireStore {
  constructor(private readonly db: Database) {}

  async getSession(key: string): Promise<QuestionnaireSession | undefined> {
    const { rows } = await this.db.query<{ session: QuestionnaireSession }>(
      'SELECT session FROM questionnaire_sessions WHERE person_key = $1',
      [key],
    );
    return rows[0]?.session;
  }

  async saveSession(key: string, session: QuestionnaireSession): Promise<void> {
    await this.db.write(
      `INSERT INTO questionnaire_sessions (person_key, team_id, session, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (person_key) DO UPDATE
       SET session = EXCLUDED.session, version = questionnaire_sessions.version + 1, updated_at = now()`,
      [key, teamOf(key), JSON.stringify(session)],
    );
  }

  async deleteSession(key: string): Promise<void> {
    await this.db.write('DELETE FROM questionnaire_sessions WHERE person_key = $1', [key]);
  }

  /** Ends the questionnaire and stores its result, in one transaction: both happen, or neither. */
  async finish(key: string, result: SavedResult): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM questionnaire_sessions WHERE person_key = $1', [key]);
      await client.query(
        `INSERT INTO questionnaire_results (person_key, id, team_id, result) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_key, id) DO UPDATE SET result = EXCLUDED.result`,
        [key, result.id, teamOf(key), JSON.stringify(result)],
      );
      await client.query(
        `DELETE FROM questionnaire_results WHERE person_key = $1 AND seq <= (
           SELECT seq FROM questionnaire_results WHERE person_key = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1
         )`,
        [key, QUESTIONNAIRE_STORE_LIMITS.resultsPerUser],
      );
    });
  }

  async results(key: string): Promise<SavedResult[]> {
    const { rows } = await this.db.query<{ result: SavedResult }>(
      'SELECT result FROM questionnaire_results WHERE person_key = $1 ORDER BY seq',
      [key],
    );
    return rows.map((row) => row.result);
  }

  async findResult(key: string, resultId: string): Promise<SavedResult | undefined> {
    const { rows } = await this.db.query<{ result: SavedResult }>(
      'SELECT result FROM questionnaire_results WHERE person_key = $1 AND id = $2',
      [key, resultId],
    );
    return rows[0]?.result;
  }

  async forget(key: string): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM questionnaire_sessions WHERE person_key = $1', [key]);
      await client.query('DELETE FROM questionnaire_results WHERE person_key = $1', [key]);
    });
  }

  /** Deletes every questionnaire and result of the workspaces' people; returns how many people. */
  async forgetWorkspaces(teamIds: readonly string[]): Promise<number> {
    if (teamIds.length === 0) return 0;
    return this.db.transaction(async (client) => {
      const sessions = await client.query<{ person_key: string }>(
        'DELETE FROM questionnaire_sessions WHERE team_id = ANY($1) RETURNING person_key',
        [[...teamIds]],
      );
      const results = await client.query<{ person_key: string }>(
        'DELETE FROM questionnaire_results WHERE team_id = ANY($1) RETURNING person_key',
        [[...teamIds]],
      );
      return new Set([...sessions.rows, ...results.rows].map((row) => row.person_key)).size;
    });
  }

  /**
   * Drops the questionnaires the predicate calls expired, reading them in batches. A questionnaire saved again
   * since it was read (its version moved on) is kept.
   */
  async pruneSessions(isExpired: (session: QuestionnaireSession) => boolean): Promise<number> {
    let pruned = 0;
    let after = '';
    for (;;) {
      const { rows } = await this.db.query<{
        person_key: string;
        version: string;
        session: QuestionnaireSession;
      }>(
        `SELECT person_key, version, session FROM questionnaire_sessions
         WHERE person_key > $1 ORDER BY person_key LIMIT $2`,
        [after, PRUNE_BATCH],
      );
      const expired = rows.filter((row) => isExpired(row.session));
      if (expired.length > 0) {
        const { rowCount } = await this.db.write(
          `DELETE FROM questionnaire_sessions s
           USING unnest($1::text[], $2::bigint[]) AS e(person_key, version)
           WHERE s.person_key = e.person_key AND s.version = e.version`,
          [expired.map((row) => row.person_key), expired.map((row) => row.version)],
        );
        pruned += rowCount ?? 0;
      }
      if (rows.length < PRUNE_BATCH) return pruned;
      after = (rows.at(-1) as { person_key: string }).person_key;
    }
  }

  /** Every change is stored when its call resolves: nothing is pending. */
  async flush(): Promise<void> {}

  writeProblem(): string | undefined {
    return this.db.writeProblem();
  }
}
