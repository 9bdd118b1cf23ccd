import type { Logger } from '@slack/bolt';
import pg from 'pg';
import { StoreWriteError } from '../journal-file.js';
import { maskDatabaseUrl } from './database-url.js';

export type StoreLogger = Pick<Logger, 'warn' | 'error'>;

/**
 * A change the database did not take (unreachable, or it refused it). A `StoreWriteError`, so the flows treat it
 * as the file backend's refused write: the person is told "I couldn't save that", /healthz answers 503.
 */
export class DatabaseWriteError extends StoreWriteError {
  constructor(where: string, cause: unknown) {
    super(where, cause);
    this.name = 'DatabaseWriteError';
  }
}

/**
 * Whether an error means the database cannot be reached or used at all (down, restarting, refusing connections,
 * wrong password, no such database), as opposed to one statement failing. Errors without an SQLSTATE come from
 * the connection (ECONNREFUSED, a timeout, "Connection terminated").
 */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57P|28|3D)/.test(code);
  return true;
}

export interface DatabaseOptions {
  /** Connections for the stores' statements (per process). */
  poolSize?: number;
  /** Connections that hold a person's lock while their questionnaire changes (per process). */
  lockPoolSize?: number;
  /** While the database is unreachable, how often a `SELECT 1` checks whether it is back. */
  probeIntervalMs?: number;
  /** How long to wait for a connection before calling the database unreachable. */
  connectionTimeoutMs?: number;
  /** How long one statement may take, client side (a network that drops packets is noticed). */
  queryTimeoutMs?: number;
}

/**
 * One PostgreSQL database behind the stores: a pool for statements and one for person locks, and whether the
 * database can be reached (`writeProblem`, for /healthz), checked again in the background while it cannot.
 */
export class Database {
  readonly pool: pg.Pool;
  readonly lockPool: pg.Pool;
  /** DATABASE_URL with the password masked: the only way the URL is ever shown. */
  readonly shownUrl: string;
  private problem: string | undefined;
  private probe: NodeJS.Timeout | undefined;
  private readonly secrets: string[];
  private readonly recoveries: (() => Promise<void>)[] = [];
  private closed = false;

  constructor(
    url: string,
    private readonly logger: StoreLogger,
    private readonly options: DatabaseOptions = {},
  ) {
    this.shownUrl = maskDatabaseUrl(url);
    this.secrets = secretsOf(url);
    const common = {
      connectionString: url,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      query_timeout: options.queryTimeoutMs ?? 15_000,
      keepAlive: true,
      application_name: 'pm-advisor',
    };
    this.pool = new pg.Pool({ ...common, max: options.poolSize ?? 10 });
    // A lock may be waited for as long as another replica's change takes: no client-side statement timeout.
    this.lockPool = new pg.Pool({ ...common, query_timeout: undefined, max: options.lockPoolSize ?? 8 });
    // An idle connection that breaks (server restart) is reported here; unhandled, it would end the process.
    for (const pool of [this.pool, this.lockPool]) pool.on('error', (error) => this.failed(error));
  }

  /** How the database is named in messages: never with its password. */
  get where(): string {
    return `the database ${this.shownUrl}`;
  }

  /** Runs one statement; an unreachable database is noted (writeProblem) and the error passed on. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      const result = await this.pool.query<R>(text, values);
      this.reached();
      return result;
    } catch (error) {
      throw this.noted(error);
    }
  }

  /** A statement that changes something: any failure is a `DatabaseWriteError`. */
  async write<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.query<R>(text, values);
    } catch (error) {
      throw new DatabaseWriteError(this.where, error);
    }
  }

  /** Runs `work` in one transaction on one connection: all of it is stored, or none. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DatabaseWriteError(this.where, this.noted(error));
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      this.reached();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      throw new DatabaseWriteError(this.where, this.noted(error));
    } finally {
      // A connection that failed mid-transaction is closed, not given to the next statement.
      client.release(broken);
    }
  }

  /** Why the database cannot be used, while it cannot (for /healthz); names it without the password. */
  writeProblem(): string | undefined {
    return this.problem;
  }

  /** Runs `work` each time the database is reachable again after it was not (e.g. writing what waited). */
  onRecovery(work: () => Promise<void>): void {
    this.recoveries.push(work);
  }

  /** Notes an error: an unreachable database becomes the write problem (checked again until it is back). */
  noted(error: unknown): Error {
    const cleaned = this.scrubbed(error);
    if (isUnreachable(error)) this.failed(cleaned);
    return cleaned;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
    await Promise.allSettled([this.pool.end(), this.lockPool.end()]);
  }

  private failed(error: Error): void {
    if (this.closed) return;
    const problem = `cannot reach ${this.where}: ${this.scrub(error.message || String(error))}`;
    if (this.problem === undefined) this.logger.error(problem);
    this.problem = problem;
    this.probe ??= setInterval(() => void this.check(), this.options.probeIntervalMs ?? 2_000);
    this.probe.unref();
  }

  private reached(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
    this.logger.warn(`${this.where} is reachable again`);
    for (const recovery of this.recoveries)
      recovery().catch((error: unknown) =>
        this.logger.error(`after reconnecting: ${this.scrubbed(error).message}`),
      );
  }

  private async check(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
      this.reached();
    } catch (error) {
      this.noted(error);
    }
  }

  /** The error with any password in its message replaced (a driver may quote the connection string). */
  private scrubbed(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.scrub(String(error)));
    const message = this.scrub(error.message);
    if (message !== error.message) error.message = message;
    return error;
  }

  private scrub(text: string): string {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('***');
    return clean;
  }
}

/** The password of a database URL, as written and decoded (both could appear in a message). */
function secretsOf(url: string): string[] {
  try {
    const { password, searchParams } = new URL(url);
    const raw = [password, searchParams.get('password') ?? ''].filter((secret) => secret.length > 0);
    return [...new Set(raw.flatMap((secret) => [secret, safeDecode(secret)]))];
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
