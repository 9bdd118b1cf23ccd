import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/**
 * The SQL migrations, `NNN_name.sql`, beside this module: src/store/postgres/migrations/ when run from source
 * (tests), dist/src/store/postgres/migrations/ when built (scripts/build.js copies the .sql files of src/).
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(?<version>\d{3})_[a-z0-9_]+\.sql$/;

/** The advisory lock every replica takes to migrate: (namespace 'pmad', 1). */
export const MIGRATION_LOCK = [0x706d6164, 1] as const;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations in the folder, in version order; two files with one version are an error. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const version = Number(MIGRATION_FILE.exec(name)?.groups?.version);
    if (migrations.some((migration) => migration.version === version))
      throw new Error(`two migrations have version ${version} in ${dir}`);
    migrations.push({ version, name, sql: await readFile(path.join(dir, name), 'utf8') });
  }
  if (migrations.length === 0) throw new Error(`no migrations (NNN_name.sql) in ${dir}`);
  return migrations;
}

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Brings the schema up to date: each migration not yet applied runs in a transaction of its own and is recorded
 * in schema_migrations. Under an advisory lock, so replicas starting at once migrate one after another (the later
 * ones find nothing to do). Returns the names applied. A migration changed after it was applied is only reported.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: Migration[],
  warn: (message: string) => void = () => undefined,
): Promise<string[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = new Map(
        (
          await client.query<{ version: number; checksum: string }>(
            'SELECT version, checksum FROM schema_migrations',
          )
        ).rows.map((row) => [row.version, row.checksum]),
      );
      const done: string[] = [];
      for (const migration of migrations) {
        const recorded = applied.get(migration.version);
        if (recorded !== undefined) {
          if (recorded !== checksum(migration.sql))
            warn(
              `migration ${migration.name} was changed after it was applied; the database keeps the earlier one`,
            );
          continue;
        }
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            checksum(migration.sql),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          (error as Error).message = `migration ${migration.name} failed: ${(error as Error).message}`;
          throw error;
        }
        done.push(migration.name);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // If the unlock failed, closing the connection releases the lock.
    client.release(broken);
  }
}
