/** Unit, snapshot and property tests. The real-cluster and golden-path suites have their own configs. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/', '/tests/conformance/', '/tests/golden-path/'],
  setupFilesAfterEnv: ['<rootDir>/tests/setup-clock.ts'],
  // Finds the upstream Pod Security fixtures once per run (go mod download, or BULWARK_PSS_FIXTURES).
  globalSetup: '<rootDir>/tests/helpers/pss-fixtures.ts',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
