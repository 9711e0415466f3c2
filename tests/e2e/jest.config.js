/**
 * The real-cluster suite (npm run test:e2e): tools/build.sh builds kube-apiserver, kube-scheduler
 * and etcd into ~/.cache/bulwark, the global setup starts them on loopback, the tests talk to them
 * with @kubernetes/client-node and raw HTTPS, the teardown stops everything (also on failure).
 * ESM because @kubernetes/client-node is ESM-only; run with --experimental-vm-modules.
 */
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '..', '..'),
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: path.join(__dirname, 'tsconfig.json') }] },
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.ts'],
  globalSetup: '<rootDir>/tests/e2e/helpers/harness/global-setup.ts',
  globalTeardown: '<rootDir>/tests/e2e/helpers/harness/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 600000,
};
