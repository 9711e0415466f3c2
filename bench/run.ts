/**
 * npm run bench -- [--baseline REF|none] [--rounds N] [--quick] [--only REGEX] [--with-tests]
 *                  [--timeout SECONDS] [--budget SECONDS] [--out FILE]
 *
 * Measures, side by side in one invocation:
 *  - Bulwark workloads (bench/workloads.ts, side "tree") against the current working tree and a
 *    baseline git ref checked out as a temporary worktree, in alternating child processes;
 *  - their anchors: plain cdk8s-plus-27 synth of the same shape, the YAML parse floor, and whole
 *    processes on the 1,000-workload YAML: `bulwark check` (compiled JS and ts-node), kube-score,
 *    Checkov, and bare node / ts-node startup.
 * Every case runs --rounds times (one child process per round, rounds interleaved over the whole
 * run); the table shows medians of the per-process medians and peak RSS per process. Module loading
 * is never timed. Prints a markdown table on stdout; writes every raw measurement to --out
 * (default bench/results.json). Timings are never asserted anywhere; this is the measurement.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChildResult } from './child';
import { benchEnv, BenchEnv, PER_NAMESPACE, WORKLOADS, Workload } from './workloads';

// ---------------------------------------------------------------- options

const args = process.argv.slice(2);
const has = (name: string) => args.includes(name);
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback; };
const known = ['--baseline', '--rounds', '--quick', '--only', '--with-tests', '--timeout', '--budget', '--out'];
for (const a of args) if (a.startsWith('--') && !known.includes(a)) throw new Error(`unknown option ${a}; options: ${known.join(' ')}`);
const quick = has('--quick');
const ref = opt('--baseline', 'HEAD~1');
const rounds = Number(opt('--rounds', quick ? '2' : '5'));
const only = new RegExp(opt('--only', '.*'));
const timeoutS = Number(opt('--timeout', '900'));
const budgetS = Number(opt('--budget', '900'));
const outFile = path.resolve(opt('--out', path.join(__dirname, 'results.json')));
const current = path.resolve(__dirname, '..');
const YAML_WORKLOADS = 1000;

const log = (s: string) => process.stderr.write(`${s}\n`);
const git = (...a: string[]) => execFileSync('git', a, { cwd: current, encoding: 'utf8' }).trim();

// ---------------------------------------------------------------- cases

type Tree = 'now' | 'baseline' | 'anchor';

interface Run {
  readonly round: number;
  readonly samplesMs: number[];
  /** CPU time (user + system) of each sample; for a process case, of the whole process. */
  readonly cpuMs?: number[];
  readonly objects?: number;
  readonly maxRssMB?: number;
  readonly setupMs?: number;
  readonly exitCode?: number | null;
  readonly error?: string;
  readonly timedOut?: boolean;
  readonly describe?: string;
  /** The 1-minute load average when the run ended. */
  readonly load1?: number;
}

interface Case {
  readonly name: string;
  readonly tree: Tree;
  readonly kind: 'in-process' | 'process';
  readonly runs: Run[];
  skipped?: string;
  /** The side stopped early (timeout, budget or error): fewer rounds than asked. */
  stopped?: string;
}

interface ProcessCase {
  readonly name: string;
  readonly tree: Tree;
  readonly slow?: boolean;
  /** Command line, or the reason it cannot run. */
  readonly command: () => { cmd: string; args: string[]; cwd?: string; okCodes: number[] } | string;
}

const notes: string[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-'));
let baselineDir: string | undefined;
let baselineSha: string | undefined;

const selected = WORKLOADS.filter((w) => only.test(w.name) && !(quick && w.slow));

function treeRoot(tree: Tree): string {
  return tree === 'baseline' ? baselineDir! : current;
}

function tsNodeArgs(): string[] {
  return ['-r', 'ts-node/register/transpile-only'];
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TS_NODE_PROJECT: path.join(current, 'tsconfig.json') };
}

function measureInProcess(w: Workload, tree: Tree, round: number, env: BenchEnv): Run {
  const root = treeRoot(tree);
  const r = spawnSync(process.execPath, ['--expose-gc', ...tsNodeArgs(), path.join(__dirname, 'child.ts'), root, w.name, String(w.iterations), JSON.stringify(env)], {
    cwd: current, encoding: 'utf8', env: childEnv(), timeout: timeoutS * 1000, maxBuffer: 16 * 2 ** 20,
  });
  if (r.error && (r.error as any).code === 'ETIMEDOUT') return { round, samplesMs: [], timedOut: true, error: `timed out after ${timeoutS} s` };
  if (r.status !== 0) return { round, samplesMs: [], exitCode: r.status, error: errorLine(r.stderr || String(r.error ?? '')) };
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
  return { round, ...res };
}

const hasTime = fs.existsSync('/usr/bin/time');

function measureProcess(p: ProcessCase, round: number): Run {
  const c = p.command();
  if (typeof c === 'string') return { round, samplesMs: [], error: c };
  const rssFile = path.join(scratch, 'rss.txt');
  const [cmd, cmdArgs] = hasTime ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, c.cmd, ...c.args]] : [c.cmd, c.args];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs as string[], { cwd: c.cwd ?? current, env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutS * 1000, maxBuffer: 64 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.error && (r.error as any).code === 'ETIMEDOUT') return { round, samplesMs: [], timedOut: true, error: `timed out after ${timeoutS} s` };
  // /usr/bin/time exits with the command's status; it adds a "Command exited with non-zero status" line.
  const code = r.status;
  let maxRssMB: number | undefined;
  let cpuMs: number[] | undefined;
  if (hasTime && fs.existsSync(rssFile)) {
    const [kb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    if (Number.isFinite(kb)) maxRssMB = kb / 1024;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = [(user + sys) * 1000];
    fs.rmSync(rssFile, { force: true });
  }
  if (code === null || !c.okCodes.includes(code)) return { round, samplesMs: [], exitCode: code, error: `exit ${code}: ${errorLine(String(r.stderr ?? ''))}` };
  return { round, samplesMs: [ms], cpuMs, exitCode: code, maxRssMB };
}

function lastLines(s: string, n: number): string {
  return s.trim().split('\n').slice(-n).join(' / ').slice(0, 500);
}

/** The error line of a child's stderr (not its stack), for the table's notes. */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('at '));
  return (lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.find((l) => /\b\w*(Error|error)\b/.test(l)) ?? lines[lines.length - 1] ?? 'failed').slice(0, 300);
}

// ---------------------------------------------------------------- the YAML, the compiled CLI, the scanners

let yamlFile: string | undefined;
let compiledDir: string | undefined;
let yamlBytes: number | undefined;

function prepareYaml(): void {
  const dir = path.join(scratch, 'yaml-1000');
  fs.mkdirSync(dir);
  const r = spawnSync(process.execPath, [...tsNodeArgs(), path.join(__dirname, 'child.ts'), current, '--write-yaml', String(YAML_WORKLOADS), 'one-chart', dir], { cwd: current, encoding: 'utf8', env: childEnv() });
  if (r.status !== 0) { notes.push(`could not write the ${YAML_WORKLOADS}-workload YAML with the current tree: ${lastLines(r.stderr, 3)}`); return; }
  const files = JSON.parse(r.stdout) as string[];
  yamlFile = path.join(dir, files.find((f) => f.endsWith('.yaml'))!);
  yamlBytes = fs.statSync(yamlFile).size;
}

/** Compiles the current tree once (tsc, the package's `build`), so `bulwark check` can be timed as users run it. */
function prepareCompiled(): void {
  const dir = path.join(scratch, 'compiled');
  const t = Date.now();
  const r = spawnSync(process.execPath, [path.join(current, 'node_modules/typescript/bin/tsc'), '-p', path.join(current, 'tsconfig.json'), '--outDir', dir, '--declaration', 'false', '--sourceMap', 'false'], { cwd: current, encoding: 'utf8' });
  if (!fs.existsSync(path.join(dir, 'cli/bulwark.js'))) { notes.push(`tsc emitted no cli/bulwark.js: ${lastLines(r.stdout + r.stderr, 3)}`); return; }
  if (r.status !== 0) notes.push(`tsc reported type errors in the working tree (exit ${r.status}); it still emitted JavaScript, which is what was timed: ${lastLines(r.stdout, 2)}`);
  fs.symlinkSync(path.join(current, 'node_modules'), path.join(dir, 'node_modules'));
  log(`compiled the current tree with tsc in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  compiledDir = dir;
}

function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(current, 'tools/versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

let binDirCache: string | undefined | null = null;
function binDir(): string | undefined {
  if (binDirCache !== null) return binDirCache;
  const r = spawnSync('bash', [path.join(current, 'tools/build.sh'), '--print-bin-dir'], { cwd: current, encoding: 'utf8' });
  binDirCache = r.status === 0 ? r.stdout.trim() : undefined;
  return binDirCache;
}

const NOT_BUILT = 'not built: run bash tools/build.sh';

const PROCESSES: ProcessCase[] = [
  { name: 'process/node-startup', tree: 'anchor', command: () => ({ cmd: process.execPath, args: ['-e', '0'], okCodes: [0] }) },
  { name: 'process/ts-node-startup', tree: 'anchor', command: () => ({ cmd: process.execPath, args: [...tsNodeArgs(), '-e', '0'], okCodes: [0] }) },
  {
    name: 'process/bulwark-check-compiled', tree: 'now',
    command: () => (!yamlFile ? 'no YAML file' : !compiledDir ? 'tsc did not emit cli/bulwark.js'
      : { cmd: process.execPath, args: [path.join(compiledDir, 'cli/bulwark.js'), 'check', yamlFile], okCodes: [0, 1] }),
  },
  ...(['now', 'baseline'] as const).map((tree): ProcessCase => ({
    name: 'process/bulwark-check-ts-node', tree,
    command: () => (!yamlFile ? 'no YAML file'
      : { cmd: process.execPath, args: [...tsNodeArgs(), path.join(treeRoot(tree), 'cli/bulwark.ts'), 'check', yamlFile], cwd: treeRoot(tree), okCodes: [0, 1] }),
  })),
  {
    name: 'process/kube-score', tree: 'anchor',
    command: () => {
      const bin = binDir() && path.join(binDir()!, 'kube-score');
      if (!bin || !fs.existsSync(bin)) return NOT_BUILT;
      return !yamlFile ? 'no YAML file' : { cmd: bin, args: ['score', yamlFile], okCodes: [0, 1] };
    },
  },
  {
    name: 'process/checkov', tree: 'anchor', slow: true,
    command: () => {
      const bin = binDir() && path.join(path.dirname(binDir()!), `checkov-${versions().CHECKOV_VERSION}`, 'bin', 'checkov');
      if (!bin || !fs.existsSync(bin)) return NOT_BUILT;
      return !yamlFile ? 'no YAML file'
        : { cmd: bin, args: ['-f', yamlFile, '--framework', 'kubernetes', '--quiet', '--compact', '--skip-download', '-o', 'cli'], okCodes: [0, 1] };
    },
  },
];

// ---------------------------------------------------------------- run

const cases: Case[] = [];
const caseOf = (name: string, tree: Tree, kind: Case['kind']) => {
  let c = cases.find((x) => x.name === name && x.tree === tree);
  if (!c) { c = { name, tree, kind, runs: [] }; cases.push(c); }
  return c;
};

function recordRun(c: Case, measured: Run, label: string): void {
  const run = { ...measured, load1: Number(os.loadavg()[0].toFixed(2)) };
  c.runs.push(run);
  const spent = c.runs.reduce((s, r) => s + r.samplesMs.reduce((a, b) => a + b, 0) + (r.setupMs ?? 0), 0) / 1000;
  if (run.error) {
    // A tree may fail once while others edit it: stop after a timeout or a second failure.
    if (run.timedOut || c.runs.filter((r) => r.error).length >= 2) c.stopped = run.error;
    log(`  ${label}: ${run.error}`);
  } else {
    log(`  ${label}: ${run.samplesMs.map((x) => x.toFixed(1)).join(', ')} ms (CPU ${run.cpuMs?.map((x) => x.toFixed(0)).join(', ') ?? '?'}), ${run.maxRssMB?.toFixed(0) ?? '?'} MB${run.objects !== undefined ? `, ${run.objects} objects` : ''}`);
    if (spent > budgetS && c.runs.length < rounds) c.stopped = `stopped after ${c.runs.length} of ${rounds} rounds: over the ${budgetS} s budget`;
  }
}

function cleanup(): void {
  if (baselineDir) {
    try { execFileSync('git', ['worktree', 'remove', '--force', baselineDir], { cwd: current, stdio: 'ignore' }); } catch { /* already gone */ }
    baselineDir = undefined;
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.on('SIGINT', () => { cleanup(); process.exit(130); });

const started = new Date();
const headAtStart = git('rev-parse', 'HEAD');
const loadStart = os.loadavg();
let testsResult: { wallMs: number; exitCode: number | null; log?: string } | undefined;

try {
  if (ref !== 'none') {
    baselineSha = git('rev-parse', '--short', ref);
    baselineDir = path.join(scratch, `baseline-${baselineSha}`);
    execFileSync('git', ['worktree', 'add', '--detach', baselineDir, ref], { cwd: current, stdio: 'ignore' });
    fs.symlinkSync(path.join(current, 'node_modules'), path.join(baselineDir, 'node_modules'));
  }
  const processes = PROCESSES.filter((p) => only.test(p.name) && !(quick && p.slow) && (p.tree !== 'baseline' || baselineDir));
  const needsYaml = selected.some((w) => w.name.startsWith('check/')) || processes.some((p) => p.name.includes('check') || p.name.includes('kube-score') || p.name.includes('checkov'));
  if (needsYaml) {
    log(`writing the ${YAML_WORKLOADS}-workload YAML with the current tree...`);
    prepareYaml();
  }
  if (processes.some((p) => p.name === 'process/bulwark-check-compiled')) prepareCompiled();
  const env = benchEnv(path.join(scratch, 'runs'), yamlFile);

  for (const w of selected) {
    const why = w.skip?.(env);
    for (const tree of w.side === 'tree' ? (['baseline', 'now'] as Tree[]).filter((t) => t !== 'baseline' || baselineDir) : ['anchor' as Tree]) {
      const c = caseOf(w.name, tree, 'in-process');
      if (why) c.skipped = why;
    }
  }
  for (const p of processes) {
    const c = caseOf(p.name, p.tree, 'process');
    const cmd = p.command();
    if (typeof cmd === 'string') c.skipped = cmd;
    // Untimed: warms the file cache (not for slow scanners, whose first run costs minutes).
    else if (!c.skipped && !p.slow) spawnSync(cmd.cmd, cmd.args, { cwd: cmd.cwd ?? current, env: childEnv(), stdio: 'ignore', timeout: timeoutS * 1000 });
  }

  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1}/${rounds}`);
    for (const w of selected) {
      // Alternate which tree goes first, so neither always runs right after the other's run.
      const trees: Tree[] = w.side === 'anchor' ? ['anchor'] : round % 2 === 0 ? ['baseline', 'now'] : ['now', 'baseline'];
      for (const tree of trees) {
        const c = cases.find((x) => x.name === w.name && x.tree === tree);
        if (!c || c.skipped || c.stopped) continue;
        recordRun(c, measureInProcess(w, tree, round, env), `${w.name} [${tree === 'baseline' ? baselineSha : tree}]`);
      }
    }
    for (const p of processes) {
      const c = caseOf(p.name, p.tree, 'process');
      if (c.skipped || c.stopped) continue;
      recordRun(c, measureProcess(p, round), `${p.name} [${p.tree === 'baseline' ? baselineSha : p.tree}]`);
    }
  }

  if (has('--with-tests')) {
    log('npm test (once, wall time reported, never asserted)...');
    const t = process.hrtime.bigint();
    const r = spawnSync('npm', ['test'], { cwd: current, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    testsResult = { wallMs: Number(process.hrtime.bigint() - t) / 1e6, exitCode: r.status, ...(r.status !== 0 ? { log: lastLines(`${r.stdout}\n${r.stderr}`, 15) } : {}) };
  }
} finally {
  cleanup();
}

// ---------------------------------------------------------------- report

const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Stat { ms?: number; cpu?: number; rss?: number; objects?: number; n: number; note?: string }

function stat(name: string, tree: Tree): Stat {
  const c = cases.find((x) => x.name === name && x.tree === tree);
  if (!c) return { n: 0, note: 'not run' };
  if (c.skipped) return { n: 0, note: c.skipped };
  const ok = c.runs.filter((r) => !r.error);
  const failed = c.runs.find((r) => r.error);
  const cpu = ok.filter((r) => r.cpuMs && r.cpuMs.length > 0);
  return {
    ms: median(ok.map((r) => median(r.samplesMs)!)),
    cpu: cpu.length === ok.length ? median(cpu.map((r) => median(r.cpuMs!)!)) : undefined,
    rss: median(ok.filter((r) => r.maxRssMB !== undefined).map((r) => r.maxRssMB!)),
    objects: ok[0]?.objects,
    n: ok.length,
    note: ok.length === 0 ? (failed?.timedOut ? `> ${timeoutS} s (timed out)` : failed?.error ?? 'no run') : undefined,
  };
}

const num = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));
/** "wall / CPU" milliseconds, with (n=k) when fewer rounds than asked ran. */
const fmtMs = (s: Stat) => {
  if (s.ms === undefined) return s.note?.startsWith('>') ? s.note : 'n/a';
  const v = `${num(s.ms)} / ${s.cpu === undefined ? '?' : num(s.cpu)}`;
  return s.n < rounds ? `${v} (n=${s.n})` : v;
};
const fmtMB = (s: Stat) => (s.rss === undefined ? 'n/a' : Math.round(s.rss).toLocaleString('en-US'));
const r1 = (a?: number, b?: number) => (a === undefined || b === undefined ? 'n/a' : (a / b).toFixed(2));
/** "wall / CPU" ratio of two stats. */
const ratio = (a: Stat, b: Stat) => (a.ms === undefined || b.ms === undefined ? 'n/a' : `${r1(a.ms, b.ms)} / ${r1(a.cpu, b.cpu)}`);
const previous = (name: string) => {
  const w = WORKLOADS.find((x) => x.name === name);
  return w?.size === undefined ? undefined : WORKLOADS.find((x) => x.series === w.series && x.size === w.size! / 10);
};
const growth = (name: string, tree: Tree) => { const p = previous(name); return p ? ratio(stat(name, tree), stat(p.name, tree)) : '–'; };
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (header: string[], rows: string[][]) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
const base = baselineSha ?? 'baseline';
const unavailable: string[] = [];
const na = (name: string, tree: Tree, s: Stat) => { if (s.ms === undefined && s.note && s.note !== 'not run') unavailable.push(`${name} [${tree === 'baseline' ? base : tree}]: ${s.note}`); };

const out: string[] = [];
out.push('Times are medians in milliseconds, "wall / CPU" (CPU: user + system of the measuring process, GC threads included); ratios and growth are given for both.', '');
const synthRows = WORKLOADS.filter((w) => w.series.startsWith('synth/') && w.size !== undefined && cases.some((c) => c.name === w.name));
if (synthRows.length) {
  out.push(`### Synth with full validation: construct + \`app.synth()\` to disk (${PER_NAMESPACE} workloads per namespace)`, '');
  out.push(table(
    ['shape', 'workloads', 'objects (plain)', `ms ${base}`, 'ms now', `now/${base}`, 'ms plain cdk8s-plus-27', 'now/plain', 'growth now (N vs N/10)', 'growth plain', `growth ${base}`, `peak RSS MB ${base}`, 'peak RSS MB now', 'peak RSS MB plain'],
    synthRows.map((w) => {
      const plainName = w.name.replace(/^synth\//, 'plain-cdk8s-plus/');
      const [b, n, p] = [stat(w.name, 'baseline'), stat(w.name, 'now'), stat(plainName, 'anchor')];
      na(w.name, 'baseline', b); na(w.name, 'now', n); na(plainName, 'anchor', p);
      return [w.series.replace('synth/', ''), w.size!.toLocaleString('en-US'), `${n.objects ?? b.objects ?? '?'} (${p.objects ?? '?'})`, fmtMs(b), fmtMs(n), ratio(n, b), fmtMs(p), ratio(n, p),
        growth(w.name, 'now'), growth(plainName, 'anchor'), growth(w.name, 'baseline'), fmtMB(b), fmtMB(n), fmtMB(p)];
    }),
  ), '');
}
const engineRows = WORKLOADS.filter((w) => w.series === 'engine' && cases.some((c) => c.name === w.name));
if (engineRows.length) {
  out.push('### Engine alone: `evaluate` with every rule pack over pre-rendered objects', '');
  out.push(table(
    ['objects', `ms ${base}`, 'ms now', `now/${base}`, `growth ${base}`, 'growth now', `peak RSS MB ${base}`, 'peak RSS MB now'],
    engineRows.map((w) => {
      const [b, n] = [stat(w.name, 'baseline'), stat(w.name, 'now')];
      na(w.name, 'baseline', b); na(w.name, 'now', n);
      return [w.size!.toLocaleString('en-US'), fmtMs(b), fmtMs(n), ratio(n, b), growth(w.name, 'baseline'), growth(w.name, 'now'), fmtMB(b), fmtMB(n)];
    }),
  ), '');
}
const describeOf = (name: string, tree: Tree) => cases.find((c) => c.name === name && c.tree === tree)?.runs.find((r) => r.describe)?.describe ?? '?';
const checkRows: Array<[string, string, Tree]> = [
  ['`bulwark check` process, compiled JS (`node <tsc outDir>/cli/bulwark.js check`)', 'process/bulwark-check-compiled', 'now'],
  ['`bulwark check` process, ts-node (`node -r ts-node/register/transpile-only cli/bulwark.ts check`)', 'process/bulwark-check-ts-node', 'now'],
  [`\`bulwark check\` process, ts-node, ${base}`, 'process/bulwark-check-ts-node', 'baseline'],
  ['`bulwark check` in-process (cli `run()`: read + parse + evaluate + format)', 'check/in-process', 'now'],
  [`\`bulwark check\` in-process, ${base}`, 'check/in-process', 'baseline'],
  ['kube-score process (`kube-score score FILE`)', 'process/kube-score', 'anchor'],
  ['Checkov process (`checkov -f FILE --framework kubernetes --quiet --compact --skip-download`)', 'process/checkov', 'anchor'],
  [`YAML parse floor, in-process (read + the parser cli imports: ${describeOf('check/yaml-parse-floor', 'now')})`, 'check/yaml-parse-floor', 'now'],
  [`YAML parse floor, in-process, ${base} (${describeOf('check/yaml-parse-floor', 'baseline')})`, 'check/yaml-parse-floor', 'baseline'],
  ['`node -e 0` process', 'process/node-startup', 'anchor'],
  ['`node -r ts-node/register/transpile-only -e 0` process', 'process/ts-node-startup', 'anchor'],
];
const presentChecks = checkRows.filter(([, name, tree]) => cases.some((c) => c.name === name && c.tree === tree));
if (presentChecks.length) {
  const compiled = stat('process/bulwark-check-compiled', 'now');
  const floor = stat('check/yaml-parse-floor', 'now');
  out.push(`### \`bulwark check\` on the ${YAML_WORKLOADS.toLocaleString('en-US')}-workload YAML (${floor.objects ?? '?'} objects${yamlBytes ? `, ${(yamlBytes / 2 ** 20).toFixed(1)} MiB` : ''}, one file)`, '');
  out.push(table(
    ['what', 'ms', 'peak RSS MB', 'vs `bulwark check` compiled', 'vs YAML parse floor'],
    presentChecks.map(([label, name, tree]) => {
      const s = stat(name, tree);
      na(name, tree, s);
      return [label, s.ms === undefined ? (s.note?.startsWith('not built') ? s.note : fmtMs(s)) : fmtMs(s), fmtMB(s), ratio(s, compiled), ratio(s, floor)];
    }),
  ), '');
}
const otherRows = WORKLOADS.filter((w) => w.size === undefined && !w.name.startsWith('check/') && cases.some((c) => c.name === w.name));
if (otherRows.length) {
  out.push('### Other workloads', '');
  out.push(table(['workload', `objects (${base} / now when they differ)`, `ms ${base}`, 'ms now', `now/${base}`, `peak RSS MB ${base}`, 'peak RSS MB now'], otherRows.map((w) => {
    const [b, n] = [stat(w.name, 'baseline'), stat(w.name, 'now')];
    na(w.name, 'baseline', b); na(w.name, 'now', n);
    const objects = b.objects !== undefined && n.objects !== undefined && b.objects !== n.objects ? `${b.objects} / ${n.objects}` : String(n.objects ?? b.objects ?? 'n/a');
    return [w.name, objects, fmtMs(b), fmtMs(n), ratio(n, b), fmtMB(b), fmtMB(n)];
  })), '');
}
if (testsResult) out.push(`\`npm test\` wall time (once, after the measurements, not asserted): ${(testsResult.wallMs / 1000).toFixed(1)} s, exit ${testsResult.exitCode}`, '');

// Targets from the "Platform scale" issue, computed from the medians above, on wall and CPU time.
const targets: string[] = [];
const verdict = (a: Stat, b: Stat, limit: number, strict = false) => (['ms', 'cpu'] as const).map((k) => {
  if (a[k] === undefined || b[k] === undefined) return `${k === 'ms' ? 'wall' : 'CPU'} n/a`;
  const q = a[k]! / b[k]!;
  return `${k === 'ms' ? 'wall' : 'CPU'} ${q.toFixed(2)} ${(strict ? q < limit : q <= limit) ? 'met' : 'NOT met'}`;
}).join(', ');
for (const layout of ['one-chart', 'chart-per-ns']) {
  for (const size of [10, 100, 1000]) {
    const n = stat(`synth/${layout}/${size}`, 'now'); const p = stat(`plain-cdk8s-plus/${layout}/${size}`, 'anchor');
    if (n.ms !== undefined && p.ms !== undefined) targets.push(`synth ${layout} ${size}: now/plain (target <= 1.5): ${verdict(n, p, 1.5)}`);
  }
  const [n1000, n100] = [stat(`synth/${layout}/1000`, 'now'), stat(`synth/${layout}/100`, 'now')];
  if (n1000.ms !== undefined && n100.ms !== undefined) targets.push(`synth ${layout} growth 100 -> 1,000 (target <= 11): ${verdict(n1000, n100, 11)}`);
  if (n1000.rss !== undefined) targets.push(`synth ${layout} 1,000 peak RSS: ${Math.round(n1000.rss)} MB (target < 1,024): ${n1000.rss < 1024 ? 'met' : 'NOT met'}`);
}
for (const size of [100, 1000, 10000]) {
  const [a, b] = [stat(`engine/${size}-objects`, 'now'), stat(`engine/${size / 10}-objects`, 'now')];
  if (a.ms !== undefined && b.ms !== undefined) targets.push(`engine growth ${size / 10} -> ${size} objects (linear, <= 11): ${verdict(a, b, 11)}`);
}
const compiledCheck = stat('process/bulwark-check-compiled', 'now');
for (const [label, name] of [['kube-score', 'process/kube-score'], ['Checkov', 'process/checkov']]) {
  const s = stat(name, 'anchor');
  if (compiledCheck.ms !== undefined && s.ms !== undefined) targets.push(`bulwark check (compiled) / ${label} (target < 1): ${verdict(compiledCheck, s, 1, true)}`);
}
if (targets.length) out.push('Targets (issue "Platform scale"):', '', ...targets.map((t) => `- ${t}`), '');

out.push(`Medians over ${rounds} rounds (one child process per round and case; synth at 10/100/1,000 workloads times ${[10, 100, 1000].map((n) => WORKLOADS.find((w) => w.size === n && w.series.startsWith('synth/'))!.iterations).join('/')} runs per process, the median of which counts). ` +
  `"now" is the working tree at ${headAtStart.slice(0, 7)}${git('rev-parse', 'HEAD') !== headAtStart ? ` to ${git('rev-parse', '--short', 'HEAD')} (HEAD moved during the run)` : ''}${git('status', '--porcelain', '--untracked-files=no').length ? ' (with uncommitted changes)' : ''}; ${baselineSha ? `baseline ${ref} (${baselineSha})` : 'no baseline'}. ` +
  `(n=k): only k rounds ran (timeout ${timeoutS} s per process, or more than ${budgetS} s spent). n/a: the workload does not exist or fails in that tree.`);
if (notes.length || unavailable.length) out.push('', 'Notes:', '', ...[...notes, ...unavailable].map((n) => `- ${n}`));
process.stdout.write(`${out.join('\n')}\n`);

const results = {
  date: started.toISOString(),
  finished: new Date().toISOString(),
  git: { headAtStart, head: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean) },
  baseline: baselineSha ? { ref, sha: git('rev-parse', ref) } : undefined,
  machine: {
    cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemMB: Math.round(os.totalmem() / 2 ** 20), platform: `${os.platform()} ${os.release()}`,
    node: process.version, loadavgStart: loadStart, loadavgEnd: os.loadavg(),
  },
  options: { rounds, quick, only: only.source, timeoutS, budgetS, yamlWorkloads: YAML_WORKLOADS, perNamespace: PER_NAMESPACE },
  tools: versions(),
  yaml: yamlFile ? { workloads: YAML_WORKLOADS, bytes: yamlBytes } : undefined,
  npmTest: testsResult,
  notes: [...notes, ...unavailable],
  cases: cases.map((c) => ({ ...c, median: stat(c.name, c.tree) })),
};
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${path.relative(process.cwd(), outFile)}`);
