/**
 * Where the e2e binaries live and how to build them.
 *
 * tools/versions.env pins every version; tools/build.sh builds into
 * ${BULWARK_CACHE:-$HOME/.cache/bulwark}/<K8S_VERSION>/bin.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The repository root: $BULWARK_REPO_ROOT, else the nearest directory holding
 * tools/versions.env above this file (CommonJS) or above the working directory
 * (ESM, where __dirname does not exist).
 */
function findRepoRoot(): string {
  if (process.env.BULWARK_REPO_ROOT) return path.resolve(process.env.BULWARK_REPO_ROOT);
  const starts = typeof __dirname === 'string' ? [__dirname, process.cwd()] : [process.cwd()];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'tools', 'versions.env'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('cannot find the repository root (tools/versions.env); set BULWARK_REPO_ROOT');
}

export const REPO_ROOT = findRepoRoot();

export const BUILD_SCRIPT = path.join(REPO_ROOT, 'tools', 'build.sh');
export const VERSIONS_FILE = path.join(REPO_ROOT, 'tools', 'versions.env');

/** Reads tools/versions.env (plain KEY=value lines, # comments). */
export function readVersions(file: string = VERSIONS_FILE): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/^["']|["']$/g, '');
  }
  return out;
}

/**
 * The bin directory of the cache: $BULWARK_E2E_BIN_DIR if set, else
 * ${BULWARK_CACHE:-$HOME/.cache/bulwark}/<K8S_VERSION>/bin.
 */
export function binDir(): string {
  const override = process.env.BULWARK_E2E_BIN_DIR;
  if (override) return override;
  const k8s = readVersions().K8S_VERSION;
  if (!k8s) throw new Error(`K8S_VERSION missing from ${VERSIONS_FILE}`);
  const root = process.env.BULWARK_CACHE || path.join(os.homedir(), '.cache', 'bulwark');
  return path.join(root, k8s, 'bin');
}

/** Path of one cached binary: bulwark-kube, kube-score, kube-linter, polaris, netpolicy. */
export function binPath(name: string): string {
  return path.join(binDir(), name);
}

/** True when the binary exists and is executable. */
export function hasBinary(name: string): boolean {
  try {
    fs.accessSync(binPath(name), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `bash tools/build.sh [targets]`, streaming its output to stderr. It is
 * idempotent and quick when the cache is warm; a cold build of bulwark-kube
 * takes tens of minutes on 2 cores. Throws when the script fails.
 */
export function runBuild(targets: string[] = []): void {
  const started = Date.now();
  const res = spawnSync('bash', [BUILD_SCRIPT, ...targets], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(
      `bash tools/build.sh ${targets.join(' ')} failed (exit ${res.status ?? res.signal}) after ` +
        `${Math.round((Date.now() - started) / 1000)} s; logs are in ${path.join(path.dirname(binDir()), 'logs')}`,
    );
  }
}
