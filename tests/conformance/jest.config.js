/**
 * The scanner conformance suite (part of npm run test:e2e): kube-score, Checkov, Trivy and
 * netpol-analyzer, built or installed by tools/build.sh into ~/.cache/bulwark.
 */
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '..', '..'),
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/conformance/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/conformance/global-setup.ts',
  testTimeout: 300000,
};
