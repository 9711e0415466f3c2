import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository under test. */
export const REPO = path.resolve(__dirname, '../..');

/** What global-setup.ts made, shared with every test file through the environment. */
export interface GoldenContext {
  /** Scratch directory of this run (removed by global-teardown.ts unless BULWARK_GOLDEN_KEEP=1). */
  readonly work: string;
  /** The packed tarball. */
  readonly tarball: string;
  /** `npm pack --json` for it: size, files. */
  readonly pack: { size: number; unpackedSize: number; files: Array<{ path: string; size: number }> };
  /** A project with only the tarball installed: its node_modules/.bin/bulwark is the installed bin. */
  readonly tools: string;
}

export const CONTEXT_ENV = 'BULWARK_GOLDEN_CONTEXT';

export function context(): GoldenContext {
  const file = process.env[CONTEXT_ENV];
  if (!file) throw new Error(`${CONTEXT_ENV} is not set: run this suite with npm run test:golden`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export interface Run { code: number; stdout: string; stderr: string; ms: number }

/**
 * The environment of a user's shell: none of the variables the outer npm, jest or CI set, so a
 * generated project's `npm test` behaves as on a developer's first run (no CI: snapshots are written).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|JEST_|TS_NODE_|INIT_CWD$|CI$|NODE_OPTIONS$|NODE_ENV$)/.test(k) && !/^npm_config_(cache|registry)$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

export function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Run {
  const start = Date.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - start };
}

/** Fails with the command's output when it did not exit 0. */
export function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
  return r;
}

/**
 * npm install from the local cache: --offline first; only when the cache lacks something
 * (ENOTCACHED, or a peer it could not resolve offline) again with --prefer-offline, which asks
 * the registry for just that. Nothing is ever published. Logs which mode each install used.
 */
export function npmInstall(dir: string, args: readonly string[] = []): Run {
  const offline = sh('npm', ['install', '--offline', ...args], dir);
  if (offline.code === 0) return offline;
  if (!/ENOTCACHED|only-if-cached|ERESOLVE/.test(offline.stdout + offline.stderr)) return ok(offline, `npm install --offline in ${dir}`);
  const preferOffline = ok(sh('npm', ['install', '--prefer-offline', ...args], dir), `npm install --prefer-offline in ${dir}`);
  timing(`${path.basename(dir)}: --offline failed on metadata the cache lacks, so --prefer-offline (${(offline.ms / 1000).toFixed(1)} s + ${(preferOffline.ms / 1000).toFixed(1)} s)`, offline.ms + preferOffline.ms);
  return preferOffline;
}

/** The installed `bulwark` bin of the tools project. */
export function bulwark(args: readonly string[], cwd: string): Run {
  return sh(path.join(context().tools, 'node_modules', '.bin', 'bulwark'), args, cwd);
}

/** Appends a step's duration to the run's timings (printed by global-teardown.ts). */
export function timing(label: string, ms: number): void {
  fs.appendFileSync(path.join(context().work, 'timings.log'), `${(ms / 1000).toFixed(1).padStart(6)} s  ${label}\n`);
}
