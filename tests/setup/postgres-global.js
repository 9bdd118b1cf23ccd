// Jest globalSetup: whether the PostgreSQL suites run. They need TEST_DATABASE_URL (a server the tests may create
// databases on: eval "$(scripts/test-postgres.sh start)"). Without it they are skipped, said once here; with
// REQUIRE_POSTGRES set (.ci/run sets it) a missing URL fails the run instead, so CI can never skip them.
export default function postgresAvailability() {
  if (process.env.TEST_DATABASE_URL) return;
  if (process.env.REQUIRE_POSTGRES) {
    throw new Error(
      'REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: start a server with eval "$(scripts/test-postgres.sh start)".',
    );
  }
  process.stdout.write(
    '\nPostgreSQL suites skipped: TEST_DATABASE_URL is not set (eval "$(scripts/test-postgres.sh start)" runs them).\n',
  );
}
