/**
 * A real Kubernetes control plane on loopback for Bulwark's e2e tests:
 * embedded etcd, kube-apiserver and (optionally) kube-scheduler, all run from
 * the single bulwark-kube binary that tools/build.sh puts in the cache.
 *
 * No kubelet and no kube-controller-manager run. In particular no controller
 * creates the "default" ServiceAccount of a new namespace (the ServiceAccount
 * admission plugin then rejects Pods there until a test creates it), no
 * Deployment ever gets Pods, and a deleted namespace stays Terminating.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { request, HttpResponse, RequestOptions } from './http';
import { ADMIN_USER, ClusterPki, generatePki, SCHEDULER_USER } from './pki';
import { freePorts } from './ports';
import { onExitCleanup, Proc, startProc, stopProc, tail } from './procs';
import { binPath } from './toolchain';

export interface ClusterOptions {
  /** Path of the bulwark-kube binary. Default: the cache bin dir (see toolchain.ts). */
  kubeBinary?: string;
  /** Start kube-scheduler too (identity system:kube-scheduler). Default false. */
  scheduler?: boolean;
  /** --admission-control-config-file (e.g. PodSecurity defaults). */
  admissionControlConfigFile?: string;
  /** --audit-policy-file; turns auditing on. */
  auditPolicyFile?: string;
  /** --audit-log-path. Default <dir>/audit.log when auditPolicyFile is set. */
  auditLogPath?: string;
  /** --encryption-provider-config; turns encryption at rest on. */
  encryptionProviderConfig?: string;
  /** --enable-admission-plugins. Default ['NodeRestriction'] (the defaults, PodSecurity included, stay on). */
  enableAdmissionPlugins?: string[];
  /** --service-cluster-ip-range. Default 10.96.0.0/16. */
  serviceClusterIpRange?: string;
  /** Extra kube-apiserver flags, appended last (so they win), e.g. ['--feature-gates=X=true']. */
  apiserverArgs?: string[];
  /**
   * kube-apiserver flags (name without "--" to value) from a generated file, e.g. Bulwark's
   * KubeAPIServerFlags: each is passed exactly as given, and a harness default of the same name
   * is dropped, so the API server runs with exactly these. The harness adds only the flags they
   * do not name (ports, etcd, service CIDR). The audit log path is taken from them.
   */
  apiserverFlags?: Readonly<Record<string, string>>;
  /**
   * A PKI made beforehand with generatePki (kubeadm file names), for flags that name its files.
   * Default: a fresh one in the cluster's temp dir.
   */
  pki?: ClusterPki;
  /** Extra kube-scheduler flags, appended last. */
  schedulerArgs?: string[];
  /** Keep etcd's fsync on (slower). Default false: the data is thrown away anyway. */
  etcdFsync?: boolean;
  /** Parent of the temp dir. Default os.tmpdir(). */
  tmpRoot?: string;
  /** Keep the temp dir (certs, logs, etcd data) after stop(). Default: $BULWARK_E2E_KEEP === '1'. */
  keepDir?: boolean;
  /** How long to wait for each component to be ready. Default 120 s. */
  readyTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL on stop. Default 10 s. */
  stopTimeoutMs?: number;
  /** Progress messages. Default: none. */
  log?: (msg: string) => void;
}

export interface ClusterHandle {
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin kubeconfig (CN=bulwark-e2e-admin, O=system:masters), certs embedded. */
  kubeconfigPath: string;
  /** The throwaway CA that signed every cert. */
  caPath: string;
  /** The temp dir holding pki/, etcd data, kubeconfigs and logs/. */
  dir: string;
  /** Admin client cert and key (PEM files), for curl or https requests. */
  adminCertPath: string;
  adminKeyPath: string;
  /** Kubeconfig of the scheduler identity (present even when the scheduler is not started). */
  schedulerKubeconfigPath: string;
  /** http://127.0.0.1:<port> of the embedded etcd. */
  etcdEndpoint: string;
  /** Audit log path when auditing is on. */
  auditLogPath?: string;
  /** Log files of each component. */
  logs: { etcd: string; apiserver: string; scheduler?: string };
  /** pids of the running components. */
  pids: { etcd?: number; apiserver?: number; scheduler?: number };
  pki: ClusterPki;
  /** A request to the API server as the admin, e.g. request('/api/v1/namespaces'). */
  request(pathAndQuery: string, opts?: RequestOptions): Promise<HttpResponse>;
  /** Stops every component (SIGTERM, then SIGKILL) and removes dir (unless kept). Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_SERVICE_CIDR = '10.96.0.0/16';

/** The first usable address of an IPv4 CIDR (the kubernetes Service IP), or undefined. */
function firstServiceIp(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.split(',')[0].trim());
  if (!m) return undefined;
  const n = ((+m[1] << 24) >>> 0) + (+m[2] << 16) + (+m[3] << 8) + +m[4];
  const bits = +m[5];
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  const ip = ((n & mask) >>> 0) + 1;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

function b64(file: string): string {
  return fs.readFileSync(file).toString('base64');
}

/** Writes a self-contained kubeconfig (certs embedded as data). */
export function writeKubeconfig(
  file: string,
  server: string,
  caPath: string,
  user: string,
  certPath: string,
  keyPath: string,
): void {
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: bulwark-e2e',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caPath)}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(certPath)}`,
    `    client-key-data: ${b64(keyPath)}`,
    'contexts:',
    '- name: bulwark-e2e',
    '  context:',
    '    cluster: bulwark-e2e',
    `    user: ${user}`,
    'current-context: bulwark-e2e',
    '',
  ].join('\n');
  fs.writeFileSync(file, text, { mode: 0o600 });
}

class StartError extends Error {
  constructor(message: string, readonly portConflict: boolean) {
    super(message);
  }
}

/**
 * Polls `check` until it returns true. Fails early when `proc` exits, and on
 * timeout; both errors carry the tail of the component's log.
 */
async function waitUntil(
  what: string,
  proc: Proc,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  const fail = (why: string): never => {
    const logTail = tail(proc.logPath, 40);
    throw new StartError(
      `${what} ${why}${lastError ? ` (last check: ${lastError})` : ''}\n` +
        `--- last lines of ${proc.logPath} ---\n${logTail}`,
      /address already in use/i.test(logTail),
    );
  };
  for (;;) {
    if (proc.exitStatus !== undefined) fail(`exited (${proc.exitStatus}) before it was ready`);
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (proc.exitStatus !== undefined) fail(`exited (${proc.exitStatus}) before it was ready`);
    if (Date.now() > deadline) fail(`was not ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startOnce(opts: ClusterOptions, dir: string, pki: ClusterPki): Promise<ClusterHandle> {
  const log = opts.log ?? (() => undefined);
  const kube = opts.kubeBinary ?? binPath('bulwark-kube');
  if (!fs.existsSync(kube)) {
    throw new Error(`${kube} does not exist: run \`bash tools/build.sh kube\` first`);
  }
  const readyTimeout = opts.readyTimeoutMs ?? 120_000;
  const stopTimeout = opts.stopTimeoutMs ?? 10_000;
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });

  const [etcdClientPort, etcdPeerPort, apiPort, schedPort] = await freePorts(4);
  const etcdEndpoint = `http://127.0.0.1:${etcdClientPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const procs: Proc[] = [];

  let stopping: Promise<void> | undefined;
  const stopAll = (removeDir: boolean): Promise<void> => {
    stopping ??= (async () => {
      // Reverse start order: scheduler, apiserver, then etcd.
      for (const p of [...procs].reverse()) {
        const status = await stopProc(p, stopTimeout);
        log(`${p.name} stopped (${status})`);
      }
      if (removeDir) fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    // --- etcd ---------------------------------------------------------------
    const etcdArgs = [
      'etcd',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdEndpoint}`,
      `--advertise-client-urls=${etcdEndpoint}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      '--log-level=warn',
    ];
    if (!opts.etcdFsync) etcdArgs.push('--unsafe-no-fsync');
    const etcd = startProc('etcd', kube, etcdArgs, path.join(logDir, 'etcd.log'));
    procs.push(etcd);
    await waitUntil('etcd', etcd, readyTimeout, async () => {
      const res = await request(`${etcdEndpoint}/health`, { timeoutMs: 2000 });
      return res.status === 200 && /"health":\s*"true"/.test(res.body);
    });
    log(`etcd ready on ${etcdEndpoint}`);

    // --- kube-apiserver -----------------------------------------------------
    const serviceCidr = opts.serviceClusterIpRange ?? DEFAULT_SERVICE_CIDR;
    const defaults: Array<[string, string]> = [
      ['bind-address', '127.0.0.1'],
      ['advertise-address', '127.0.0.1'],
      ['secure-port', String(apiPort)],
      ['cert-dir', path.join(dir, 'apiserver-certs')],
      ['tls-cert-file', pki.apiserver.cert],
      ['tls-private-key-file', pki.apiserver.key],
      ['client-ca-file', pki.ca.cert],
      ['etcd-servers', etcdEndpoint],
      ['authorization-mode', 'Node,RBAC'],
      ['enable-admission-plugins', (opts.enableAdmissionPlugins ?? ['NodeRestriction']).join(',')],
      ['enable-priority-and-fairness', 'true'],
      ['allow-privileged', 'true'],
      ['service-cluster-ip-range', serviceCidr],
      ['service-account-issuer', 'https://kubernetes.default.svc.cluster.local'],
      ['service-account-key-file', pki.serviceAccountPub],
      ['service-account-signing-key-file', pki.serviceAccountKey],
      // Endpoints may not hold loopback addresses, so the API server must not
      // try to publish 127.0.0.1 as the kubernetes Service's endpoint.
      ['endpoint-reconciler-type', 'none'],
      ['profiling', 'false'],
    ];
    let auditLogPath: string | undefined;
    if (opts.admissionControlConfigFile) defaults.push(['admission-control-config-file', opts.admissionControlConfigFile]);
    if (opts.auditPolicyFile) {
      auditLogPath = opts.auditLogPath ?? path.join(logDir, 'audit.log');
      defaults.push(['audit-policy-file', opts.auditPolicyFile], ['audit-log-path', auditLogPath]);
    }
    if (opts.encryptionProviderConfig) defaults.push(['encryption-provider-config', opts.encryptionProviderConfig]);
    const exact = opts.apiserverFlags ?? {};
    if (exact['audit-log-path']) auditLogPath = exact['audit-log-path'];
    const apiArgs = [
      'apiserver',
      ...defaults.filter(([name]) => !(name in exact)).map(([name, value]) => `--${name}=${value}`),
      ...Object.entries(exact).map(([name, value]) => `--${name}=${value}`),
      ...(opts.apiserverArgs ?? []),
    ];
    const apiserver = startProc('kube-apiserver', kube, apiArgs, path.join(logDir, 'apiserver.log'));
    procs.push(apiserver);

    const adminTls = { caPath: pki.ca.cert, certPath: pki.admin.cert, keyPath: pki.admin.key };
    await waitUntil('kube-apiserver', apiserver, readyTimeout, async () => {
      const res = await request(`${server}/readyz`, { ...adminTls, timeoutMs: 5000 });
      if (res.status === 200 && res.body.trim() === 'ok') return true;
      throw new Error(`/readyz ${res.status}: ${res.body.split('\n').filter((l) => l.includes('[-]')).join('; ')}`);
    });
    log(`kube-apiserver ready on ${server}`);

    const kubeconfigPath = path.join(dir, 'admin.kubeconfig');
    writeKubeconfig(kubeconfigPath, server, pki.ca.cert, ADMIN_USER, pki.admin.cert, pki.admin.key);
    const schedulerKubeconfigPath = path.join(dir, 'scheduler.kubeconfig');
    writeKubeconfig(
      schedulerKubeconfigPath, server, pki.ca.cert, SCHEDULER_USER, pki.scheduler.cert, pki.scheduler.key,
    );

    // --- kube-scheduler -----------------------------------------------------
    let scheduler: Proc | undefined;
    if (opts.scheduler) {
      const schedArgs = [
        'scheduler',
        `--kubeconfig=${schedulerKubeconfigPath}`,
        `--authentication-kubeconfig=${schedulerKubeconfigPath}`,
        `--authorization-kubeconfig=${schedulerKubeconfigPath}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        `--cert-dir=${path.join(dir, 'scheduler-certs')}`,
        '--leader-elect=false',
        '--profiling=false',
        ...(opts.schedulerArgs ?? []),
      ];
      scheduler = startProc('kube-scheduler', kube, schedArgs, path.join(logDir, 'scheduler.log'));
      procs.push(scheduler);
      await waitUntil('kube-scheduler', scheduler, readyTimeout, async () => {
        // Self-signed serving cert; /healthz is open to anonymous by default.
        const res = await request(`https://127.0.0.1:${schedPort}/healthz`, { insecure: true, timeoutMs: 2000 });
        if (res.status === 200) return true;
        throw new Error(`/healthz ${res.status}: ${res.body.slice(0, 200)}`);
      });
      log(`kube-scheduler ready (health on 127.0.0.1:${schedPort})`);
    }

    const keep = opts.keepDir ?? false;
    const handle: ClusterHandle = {
      server,
      kubeconfigPath,
      caPath: pki.ca.cert,
      dir,
      adminCertPath: pki.admin.cert,
      adminKeyPath: pki.admin.key,
      schedulerKubeconfigPath,
      etcdEndpoint,
      auditLogPath,
      logs: { etcd: etcd.logPath, apiserver: apiserver.logPath, scheduler: scheduler?.logPath },
      pids: { etcd: etcd.child.pid, apiserver: apiserver.child.pid, scheduler: scheduler?.child.pid },
      pki,
      request: (pathAndQuery, ropts = {}) => request(`${server}${pathAndQuery}`, { ...adminTls, ...ropts }),
      stop: () => stopAll(!keep),
    };
    return handle;
  } catch (err) {
    await stopAll(false);
    throw err;
  }
}

/**
 * Generates a throwaway PKI, starts etcd, kube-apiserver and optionally
 * kube-scheduler on free loopback ports, waits until they are ready and writes
 * an admin kubeconfig. On failure everything started is stopped again and the
 * error includes the tail of the failing component's log (the temp dir is kept
 * for inspection and named in the error).
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<ClusterHandle> {
  const maxAttempts = 3;
  const root = opts.tmpRoot ?? os.tmpdir();
  const keep = opts.keepDir ?? process.env.BULWARK_E2E_KEEP === '1';
  sweepStaleDirs(root);
  for (let attempt = 1; ; attempt++) {
    const dir = fs.mkdtempSync(path.join(root, DIR_PREFIX));
    fs.writeFileSync(path.join(dir, OWNER_FILE), `${process.pid}\n`);
    if (keep) fs.writeFileSync(path.join(dir, KEEP_FILE), '');
    // If Node exits without stop(), the children are killed and the dir goes.
    const unregister = keep ? () => undefined : onExitCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    try {
      const pki = opts.pki ?? generatePki(path.join(dir, 'pki'), {
        serviceIp: firstServiceIp(opts.serviceClusterIpRange ?? DEFAULT_SERVICE_CIDR),
      });
      const handle = await startOnce({ ...opts, keepDir: keep }, dir, pki);
      const stop = handle.stop;
      handle.stop = () => stop().finally(unregister);
      return handle;
    } catch (err) {
      unregister();
      if (err instanceof StartError && err.portConflict && attempt < maxAttempts) {
        (opts.log ?? (() => undefined))(`port conflict, retrying (attempt ${attempt + 1})`);
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      fs.writeFileSync(path.join(dir, KEEP_FILE), '');
      (err as Error).message += `\n(cluster files kept in ${dir})`;
      throw err;
    }
  }
}

const DIR_PREFIX = 'bulwark-e2e-';
const OWNER_FILE = 'owner.pid';
const KEEP_FILE = 'KEEP';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes cluster dirs under `root` left by Node processes that died without
 * cleaning up (e.g. killed with SIGKILL). Dirs marked KEEP (BULWARK_E2E_KEEP or
 * a failed start) are left alone.
 */
export function sweepStaleDirs(root: string = os.tmpdir()): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(root).filter((e) => e.startsWith(DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const e of entries) {
    const dir = path.join(root, e);
    try {
      if (fs.existsSync(path.join(dir, KEEP_FILE))) continue;
      const owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8').trim());
      if (!Number.isInteger(owner) || owner <= 0 || pidAlive(owner)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      /* not ours, or being created right now */
    }
  }
  return removed;
}

/** Stops a cluster started by startCluster (same as handle.stop()). */
export function stopCluster(handle: ClusterHandle): Promise<void> {
  return handle.stop();
}
