/** Unit, snapshot and property tests. The real-cluster suite has its own config (jest.e2e.config.js). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/', '/tests/conformance/'],
  setupFilesAfterEnv: ['<rootDir>/tests/setup-clock.ts'],
  // Finds the upstream Pod Security fixtures once per run (go mod download, or BULWARK_PSS_FIXTURES).
  globalSetup: '<rootDir>/tests/helpers/pss-fixtures.ts',
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
