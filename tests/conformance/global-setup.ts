import { runBuild } from '../e2e/helpers/harness/toolchain';

/** Builds (or finds in the cache) the scanners before any conformance test runs. */
export default async function globalSetup(): Promise<void> {
  if (process.env.BULWARK_E2E_SKIP_BUILD !== '1') runBuild(['scanners']);
}
