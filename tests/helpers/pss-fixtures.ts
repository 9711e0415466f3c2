/**
 * Where the Pod Security oracle lives: the upstream Pod Security Admission conformance fixtures,
 * `test/testdata/{baseline,restricted}/v1.N/{pass,fail}/*.yaml` of the Go module pinned in
 * tools/versions.env (PSA_FIXTURES_MODULE@PSA_FIXTURES_VERSION). They are read at test time and
 * never committed.
 *
 *   1. BULWARK_PSS_FIXTURES, if set: a directory holding baseline/ and restricted/.
 *   2. Else `go mod download -json MODULE@VERSION` (GOFLAGS=-mod=mod, GOTOOLCHAIN=local) and its
 *      `<Dir>/test/testdata`. Go keeps the module in its module cache, so this works offline once
 *      fetched. The go binary is $BULWARK_GO, else `go` on PATH, else /usr/local/go/bin/go.
 *   3. No Go at all: an error saying so and how to provide the fixtures, unless
 *      BULWARK_ALLOW_NO_GO=1, in which case the oracle tests are skipped with that message.
 *
 * Also the unit suite's jest globalSetup (default export): it resolves once per run and hands the
 * result to the test workers through the environment, so `go` runs once, not once per file.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readVersions } from '../e2e/helpers/harness/toolchain';

/** The resolved state, as JSON, for the jest workers (set by the global setup). */
const RESOLVED_ENV = 'BULWARK_PSS_FIXTURES_RESOLVED';

type State = { root: string } | { skipped: string } | { error: string };

/** `MODULE@VERSION` of the fixtures, from tools/versions.env. */
export function pssFixturesModule(): string {
  const v = readVersions();
  if (!v.PSA_FIXTURES_MODULE || !v.PSA_FIXTURES_VERSION) {
    throw new Error('PSA_FIXTURES_MODULE or PSA_FIXTURES_VERSION is missing from tools/versions.env');
  }
  return `${v.PSA_FIXTURES_MODULE}@${v.PSA_FIXTURES_VERSION}`;
}

const OR_SET = (mod: string) =>
  `or set BULWARK_PSS_FIXTURES to a directory holding baseline/ and restricted/ (the test/testdata directory of ${mod}).`;

/** `root` if it holds baseline/ and restricted/; `what` names it in the error otherwise. */
function checkRoot(root: string, what: string): State {
  const missing = ['baseline', 'restricted'].filter((l) => !fs.statSync(path.join(root, l), { throwIfNoEntry: false })?.isDirectory());
  return missing.length === 0 ? { root } : { error: `Pod Security fixtures: ${what} has no ${missing.join('/ or ')}/ directory.` };
}

function goDownload(mod: string): State {
  const candidates = process.env.BULWARK_GO ? [process.env.BULWARK_GO] : ['go', '/usr/local/go/bin/go'];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-pss-')); // outside any Go module or workspace
  try {
    for (const go of candidates) {
      const r = spawnSync(go, ['mod', 'download', '-json', mod], {
        cwd: work,
        encoding: 'utf8',
        timeout: 10 * 60 * 1000,
        env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' },
      });
      if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
      let info: { Dir?: string; Error?: string } = {};
      try { info = JSON.parse(r.stdout || '{}'); } catch { /* reported below */ }
      if (r.error || r.status !== 0 || !info.Dir) {
        const why = [...new Set([info.Error, r.error?.message, r.stderr?.trim()].filter(Boolean))].join('; ') || `exit ${r.status ?? r.signal}`;
        return { error: `Pod Security fixtures: \`${go} mod download -json ${mod}\` failed: ${why}. Run it once where the Go ` +
          `module proxy is reachable (Go keeps the module in its cache, GOMODCACHE), ${OR_SET(mod)}` };
      }
      const root = path.join(info.Dir, 'test', 'testdata');
      return checkRoot(root, `${root} (from ${go} mod download ${mod})`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const message = `Pod Security fixtures: Go is required and was not found (looked for ${candidates.join(', ')}; ` +
    `set BULWARK_GO to choose one): the Pod Security oracle is ${mod}'s test/testdata, fetched with ` +
    `\`go mod download\`. Install Go (https://go.dev/dl/), ${OR_SET(mod)}`;
  return process.env.BULWARK_ALLOW_NO_GO === '1'
    ? { skipped: `${message} The oracle tests are SKIPPED because BULWARK_ALLOW_NO_GO=1.` }
    : { error: `${message} (Or set BULWARK_ALLOW_NO_GO=1 to skip the oracle tests.)` };
}

let cached: State | undefined;
let warned = false;

function state(): State {
  if (cached) return cached;
  const handedDown = process.env[RESOLVED_ENV];
  if (handedDown) {
    cached = JSON.parse(handedDown) as State;
  } else if (process.env.BULWARK_PSS_FIXTURES) {
    const root = path.resolve(process.env.BULWARK_PSS_FIXTURES);
    cached = checkRoot(root, `BULWARK_PSS_FIXTURES=${root}`);
  } else {
    cached = goDownload(pssFixturesModule());
  }
  process.env[RESOLVED_ENV] = JSON.stringify(cached);
  return cached;
}

/**
 * Why the oracle tests are skipped (no Go, and BULWARK_ALLOW_NO_GO=1), printed once per process;
 * undefined when they run. Never throws: an error surfaces from pssFixturesRoot().
 */
export function pssFixturesSkipped(): string | undefined {
  const s = state();
  if (!('skipped' in s)) return undefined;
  if (!warned) console.warn(s.skipped);
  warned = true;
  return s.skipped;
}

/** The directory holding baseline/ and restricted/. Throws, saying why and what to do, when there is none. */
export function pssFixturesRoot(): string {
  const s = state();
  if ('root' in s) return s.root;
  throw new Error('skipped' in s ? s.skipped : s.error);
}

/** jest globalSetup: resolve once for the whole run; problems are reported here and again by the tests that need the fixtures. */
export default function globalSetup(): void {
  const s = state();
  if (!('root' in s)) process.stderr.write(`\n[bulwark] ${'skipped' in s ? s.skipped : s.error}\n\n`);
}
