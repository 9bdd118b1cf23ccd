import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import { type QuestionnaireSession, questionnaireSessionSchema } from '../advisor/questionnaire.js';
import { type SavedResult, savedResultSchema } from '../advisor/scoring.js';
import { PersonFiles } from './person-files.js';

export const QUESTIONNAIRE_STORE_LIMITS = {
  /** Past results kept per person (the oldest are dropped). */
  resultsPerUser: 50,
} as const;

const resultsSchema = z.array(savedResultSchema);

/** All of them once each, oldest first, within the per-person limit. */
function mergeResults(kept: SavedResult[], other: SavedResult[]): SavedResult[] {
  const byId = new Map([...kept, ...other].map((result) => [result.id, result]));
  return [...byId.values()]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-QUESTIONNAIRE_STORE_LIMITS.resultsPerUser);
}

/** What the questionnaire flows need: each person's questionnaire in progress and their past results, by person key. */
export interface QuestionnaireStore {
  getSession(key: string): Promise<QuestionnaireSession | undefined>;
  /** Stores the session (after any change to it). */
  saveSession(key: string, session: QuestionnaireSession): Promise<void>;
  deleteSession(key: string): Promise<void>;
  /** Saves a finished result and ends the questionnaire. */
  finish(key: string, result: SavedResult): Promise<void>;
  /** Past results, oldest first. */
  results(key: string): Promise<SavedResult[]>;
  findResult(key: string, resultId: string): Promise<SavedResult | undefined>;
  /** Deletes everything stored about a person: the questionnaire in progress and every result. */
  forget(key: string): Promise<void>;
  /**
   * Drops the questionnaires the predicate calls expired; returns how many. With `unchangedSince`, only those not
   * saved since then are looked at (a hint: a backend may use it to skip reading the others).
   */
  pruneSessions(
    isExpired: (session: QuestionnaireSession) => boolean,
    unchangedSince?: Date,
  ): Promise<number>;
  /** Writes what is pending (on shutdown). */
  flush(): Promise<void>;
  /** Why writes fail, while they do (for /healthz). */
  writeProblem(): string | undefined;
}

/** People moved at once when folding in the files of the earlier layout. */
const MIGRATION_BATCH = 64;

/** The files of the earlier layout (16 and 64 shared shard files), folded into per-person files at start-up. */
const OLD_SHARD_FILE = /^(?<kind>sessions|results)-\d{3}\.json$/;
const oldShardSchemas = {
  sessions: z.object({ version: z.literal(1), sessions: z.record(z.string(), questionnaireSessionSchema) }),
  results: z.object({ version: z.literal(1), results: z.record(z.string(), resultsSchema) }),
};

/**
 * Per-person state in files beside DATA_FILE (`data/db.users/`): each person's questionnaire in progress
 * (`sessions/`, changed on every answer) apart from their past results (`results/`, written once per finished
 * questionnaire), one small file each (`PersonFiles`), so an answer writes that person's questionnaire and
 * nothing else, and opening the store reads nothing. Finishing is one atomic step: the result, which names the
 * questionnaire it ends, is written first; a questionnaire whose result is stored is closed wherever it is read,
 * so a crash between the two writes leaves neither a lost result nor a questionnaire that finishes twice.
 */
export class QuestionnaireFiles implements QuestionnaireStore {
  private constructor(
    private readonly sessions: PersonFiles<QuestionnaireSession>,
    private readonly resultFiles: PersonFiles<SavedResult[]>,
  ) {}

  /** The folder that belongs to a data file: data/db.json → data/db.users/. */
  static folderFor(dataFile: string): string {
    const parsed = path.parse(dataFile);
    return path.join(parsed.dir, `${parsed.name}.users`);
  }

  /** Where a person's questionnaire or results are kept (benchmarks write and check them on disk). */
  static personFileFor(dataFile: string, kind: 'sessions' | 'results', key: string): string {
    return new PersonFiles(path.join(QuestionnaireFiles.folderFor(dataFile), kind), {
      parse: () => undefined,
      logger: console,
    }).pathOf(key);
  }

  static async open(
    dataFile: string,
    logger: Pick<Logger, 'warn' | 'error'>,
    options: { cacheSize?: number } = {},
  ): Promise<QuestionnaireFiles> {
    const folder = QuestionnaireFiles.folderFor(dataFile);
    const parse =
      <T>(schema: z.ZodType<T>) =>
      (raw: unknown) => {
        const result = schema.safeParse(raw);
        return result.success ? result.data : undefined;
      };
    const store = new QuestionnaireFiles(
      new PersonFiles(path.join(folder, 'sessions'), {
        parse: parse(questionnaireSessionSchema),
        logger,
        cacheSize: options.cacheSize,
      }),
      new PersonFiles(path.join(folder, 'results'), {
        parse: parse(resultsSchema),
        logger,
        cacheSize: options.cacheSize,
      }),
    );
    await store.foldInOldShards(folder, logger);
    return store;
  }

  /**
   * Earlier versions kept everyone in 16 + 64 shared files; each record moves to its person's file (merged with
   * what is there), then the shared file is deleted. Interrupted half way, the next start finishes it.
   */
  private async foldInOldShards(folder: string, logger: Pick<Logger, 'warn' | 'error'>): Promise<void> {
    const names = await readdir(folder).catch(() => [] as string[]);
    let moved = 0;
    for (const name of names) {
      const kind = OLD_SHARD_FILE.exec(name)?.groups?.kind as 'sessions' | 'results' | undefined;
      if (!kind) continue;
      const filePath = path.join(folder, name);
      let parsed: unknown;
      try {
        parsed = oldShardSchemas[kind].parse(JSON.parse(await readFile(filePath, 'utf8')));
      } catch {
        const aside = `${filePath}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await rename(filePath, aside);
        this.sessions.recovered.push(aside);
        logger.error(`${filePath} could not be read; it was kept as ${aside}`);
        continue;
      }
      const moves =
        kind === 'sessions'
          ? Object.entries((parsed as { sessions: Record<string, QuestionnaireSession> }).sessions).map(
              ([key, session]) =>
                async () => {
                  const current = await this.sessions.get(key);
                  if (!current || session.updatedAt > current.updatedAt)
                    await this.sessions.put(key, session);
                },
            )
          : Object.entries((parsed as { results: Record<string, SavedResult[]> }).results).map(
              ([key, results]) =>
                async () =>
                  this.resultFiles.put(key, mergeResults((await this.resultFiles.get(key)) ?? [], results)),
            );
      // Many people at once: each write waits for its disk sync, and the syncs of many files overlap.
      for (let from = 0; from < moves.length; from += MIGRATION_BATCH)
        await Promise.all(moves.slice(from, from + MIGRATION_BATCH).map((move) => move()));
      moved += moves.length;
      await rm(filePath, { force: true });
    }
    if (moved > 0)
      logger.warn(
        `questionnaires: moved ${moved} record(s) from the shared files of an earlier version to per-person files`,
      );
  }

  /** Damaged files that were moved aside. */
  get recovered(): string[] {
    return [...this.sessions.recovered, ...this.resultFiles.recovered];
  }

  async getSession(key: string): Promise<QuestionnaireSession | undefined> {
    const session = await this.sessions.get(key);
    if (!session) return undefined;
    // Its result is stored: a crash came between the two writes of finish. The questionnaire is over.
    const results = await this.resultFiles.get(key);
    if (results?.some((result) => result.sessionId === session.id)) {
      await this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  /** Stores the session (after any change to it). */
  async saveSession(key: string, session: QuestionnaireSession): Promise<void> {
    await this.sessions.put(key, session);
  }

  async deleteSession(key: string): Promise<void> {
    await this.sessions.delete(key);
  }

  /** Saves a finished result and ends the questionnaire. */
  async finish(key: string, result: SavedResult): Promise<void> {
    // The commit point: once the result (which names its questionnaire) is on disk, the questionnaire is over.
    const results = [...((await this.resultFiles.get(key)) ?? []), result].slice(
      -QUESTIONNAIRE_STORE_LIMITS.resultsPerUser,
    );
    await this.resultFiles.put(key, results);
    await this.deleteSession(key);
  }

  async results(key: string): Promise<SavedResult[]> {
    return (await this.resultFiles.get(key)) ?? [];
  }

  async findResult(key: string, resultId: string): Promise<SavedResult | undefined> {
    return (await this.results(key)).find((result) => result.id === resultId);
  }

  /** Deletes everything stored about a person: the questionnaire in progress and every result. */
  async forget(key: string): Promise<void> {
    await this.sessions.delete(key);
    await this.resultFiles.delete(key);
  }

  /** Drops the questionnaires the predicate calls expired; reads only those whose file is older than `unchangedSince`. */
  async pruneSessions(
    isExpired: (session: QuestionnaireSession) => boolean,
    unchangedSince?: Date,
  ): Promise<number> {
    let pruned = 0;
    for await (const key of this.sessions.keys()) {
      if (unchangedSince && ((await this.sessions.modifiedAt(key)) ?? 0) > unchangedSince.getTime()) continue;
      const session = await this.sessions.get(key);
      if (!session || !isExpired(session)) continue;
      await this.sessions.delete(key);
      pruned++;
    }
    return pruned;
  }

  /** How many people have anything stored (reads every folder: for tests and benchmarks). */
  async countPeople(): Promise<number> {
    const keys = new Set<string>();
    for await (const key of this.sessions.keys()) keys.add(key);
    for await (const key of this.resultFiles.keys()) keys.add(key);
    return keys.size;
  }

  /** Every change is on disk when its call resolves: nothing is pending. */
  async flush(): Promise<void> {}

  writeProblem(): string | undefined {
    return this.sessions.writeProblem ?? this.resultFiles.writeProblem;
  }
}
