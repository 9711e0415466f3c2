/**
 * jest globalSetup for the e2e suite: builds (or finds in the cache) the real
 * binaries, starts a loopback control plane and exports its coordinates to the
 * test workers through environment variables.
 *
 * Inputs (all optional):
 *   BULWARK_E2E_SKIP_BUILD=1        do not run tools/build.sh (binaries must exist)
 *   BULWARK_E2E_BUILD_TARGETS       targets for tools/build.sh (default: all)
 *   BULWARK_E2E_SCHEDULER=0         do not start kube-scheduler (default: started)
 *   BULWARK_E2E_ADMISSION_CONFIG    file for --admission-control-config-file
 *   BULWARK_E2E_AUDIT_POLICY        file for --audit-policy-file (audit log in the cluster dir)
 *   BULWARK_E2E_ENCRYPTION_CONFIG   file for --encryption-provider-config
 *   BULWARK_E2E_KEEP=1              keep the cluster dir (certs, logs) after teardown
 *
 * Outputs (process.env, inherited by the jest workers):
 *   BULWARK_E2E_KUBECONFIG          admin kubeconfig (system:masters)
 *   BULWARK_E2E_SERVER              https://127.0.0.1:<port>
 *   BULWARK_E2E_CA, BULWARK_E2E_ADMIN_CERT, BULWARK_E2E_ADMIN_KEY   PEM files
 *   BULWARK_E2E_SCHEDULER_KUBECONFIG  kubeconfig of system:kube-scheduler
 *   BULWARK_E2E_DIR                 the cluster's temp dir (logs/ inside)
 *   BULWARK_E2E_AUDIT_LOG           audit log path, when auditing is on
 *   BULWARK_E2E_BIN_DIR             the cache bin dir (scanners live there too)
 */
import { ClusterHandle, startCluster } from './cluster';
import { binDir, runBuild } from './toolchain';

export const HANDLE_KEY = '__BULWARK_E2E_CLUSTER__';

export default async function globalSetup(): Promise<void> {
  const log = (msg: string) => process.stderr.write(`[bulwark-e2e] ${msg}\n`);
  if (process.env.BULWARK_E2E_SKIP_BUILD !== '1') {
    const targets = (process.env.BULWARK_E2E_BUILD_TARGETS ?? '').split(/[\s,]+/).filter(Boolean);
    log(`bash tools/build.sh ${targets.join(' ')}`.trim());
    runBuild(targets);
  }
  const started = Date.now();
  const handle: ClusterHandle = await startCluster({
    scheduler: process.env.BULWARK_E2E_SCHEDULER !== '0',
    admissionControlConfigFile: process.env.BULWARK_E2E_ADMISSION_CONFIG || undefined,
    auditPolicyFile: process.env.BULWARK_E2E_AUDIT_POLICY || undefined,
    encryptionProviderConfig: process.env.BULWARK_E2E_ENCRYPTION_CONFIG || undefined,
    log,
  });
  log(`control plane up in ${((Date.now() - started) / 1000).toFixed(1)} s at ${handle.server}`);
  (globalThis as Record<string, unknown>)[HANDLE_KEY] = handle;

  process.env.BULWARK_E2E_KUBECONFIG = handle.kubeconfigPath;
  process.env.BULWARK_E2E_SERVER = handle.server;
  process.env.BULWARK_E2E_CA = handle.caPath;
  process.env.BULWARK_E2E_ADMIN_CERT = handle.adminCertPath;
  process.env.BULWARK_E2E_ADMIN_KEY = handle.adminKeyPath;
  process.env.BULWARK_E2E_SCHEDULER_KUBECONFIG = handle.schedulerKubeconfigPath;
  process.env.BULWARK_E2E_DIR = handle.dir;
  if (handle.auditLogPath) process.env.BULWARK_E2E_AUDIT_LOG = handle.auditLogPath;
  process.env.BULWARK_E2E_BIN_DIR = binDir();
}
