/**
 * The golden path (npm run test:golden): the packed tarball installed into fresh projects from the
 * npm cache, the installed bin, and every `bulwark init` template installing, synthesizing and
 * passing its own tests on the first run. Slow (npm installs); not part of `npm test`.
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: '../..',
  roots: ['<rootDir>/tests/golden-path'],
  testMatch: ['**/*.test.ts'],
  // Packs once and installs the tarball into a tools project whose `bulwark` bin every test uses.
  globalSetup: '<rootDir>/tests/golden-path/global-setup.ts',
  globalTeardown: '<rootDir>/tests/golden-path/global-teardown.ts',
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 2,
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
};
