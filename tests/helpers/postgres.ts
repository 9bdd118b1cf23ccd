import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from '@jest/globals';
import pg from 'pg';

/** A server the tests may create databases on (scripts/test-postgres.sh start); unset, the suites are skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * `describe` for suites that need PostgreSQL: skipped without TEST_DATABASE_URL (tests/setup/postgres-global.js
 * says so once, and fails the run instead when REQUIRE_POSTGRES is set).
 */
export const describePostgres = TEST_DATABASE_URL || process.env.REQUIRE_POSTGRES ? describe : describe.skip;

/** The URL of another database on the same server. */
export function databaseUrl(name: string, base = TEST_DATABASE_URL ?? ''): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.href;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database of its own (pm_advisor_test_<random>) and returns its URL. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const name = `pm_advisor_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  return { name, url: databaseUrl(name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A database for this test file: created before its tests, dropped after (with every database `fresh()` made).
 * `reset()` empties the app's tables (not schema_migrations), for a test that starts from nothing.
 */
export function testDatabase() {
  const made: string[] = [];
  let url = '';
  beforeAll(async () => {
    const created = await createTestDatabase();
    made.push(created.name);
    url = created.url;
  });
  afterAll(async () => {
    for (const name of made) await dropTestDatabase(name);
  });
  return {
    get url() {
      return url;
    },
    /** Another empty database, dropped after the file's tests. */
    async fresh(): Promise<string> {
      const created = await createTestDatabase();
      made.push(created.name);
      return created.url;
    },
    async reset(): Promise<void> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ tablename: string }>(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
        );
        if (rows.length > 0)
          await client.query(
            `TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
          );
      } finally {
        await client.end();
      }
    },
  };
}
