// ESM on purpose: lowdb 7 is ESM-only, so the app and its tests are ES modules,
// compiled by ts-jest in ESM mode (the test script runs node --experimental-vm-modules).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 15000,
  setupFilesAfterEnv: ['<rootDir>/tests/setup/restore-http.ts'],
  // Says once whether the PostgreSQL suites run (tests/helpers/postgres.ts).
  globalSetup: '<rootDir>/tests/setup/postgres-global.js',
};
