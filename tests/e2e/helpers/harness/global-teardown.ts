/** jest globalTeardown: stops the control plane that global-setup.ts started. */
import { ClusterHandle } from './cluster';
import { HANDLE_KEY } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const handle = g[HANDLE_KEY] as ClusterHandle | undefined;
  if (!handle) return;
  delete g[HANDLE_KEY];
  await handle.stop();
  process.stderr.write(`[bulwark-e2e] control plane stopped\n`);
}
