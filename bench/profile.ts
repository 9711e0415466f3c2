/**
 * npx ts-node --transpile-only bench/profile.ts [--workload synth/one-chart/1000] [--tree REF] [--top 20] [--keep DIR]
 *
 * A CPU profile of one bench workload with compiled JavaScript: compiles the current tree (and the
 * tree at REF, when given, which is then the one profiled) with tsc, runs bench/child.js once under
 * `node --cpu-prof`, and summarises the samples taken while the workload's timed `run` was on the
 * stack (from its first to its last such sample, so garbage collection in between counts too):
 * top frames by inclusive and self time, and time by package. Module loading, setup and warm-up
 * are outside that window. --keep DIR keeps the .cpuprofile (open it in Chrome DevTools).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback; };
const workloadName = opt('--workload', 'synth/one-chart/1000');
const ref = opt('--tree', '');
const top = Number(opt('--top', '20'));
const keep = opt('--keep', '');
const current = path.resolve(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-profile-'));

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/** tsc into `out` (type errors in a tree being edited still emit), with node_modules linked beside it. */
function compile(tree: string, out: string): void {
  spawnSync(process.execPath, [path.join(current, 'node_modules/typescript/bin/tsc'), '-p', path.join(tree, 'tsconfig.json'), '--outDir', out, '--declaration', 'false', '--sourceMap', 'false'], { cwd: tree, encoding: 'utf8' });
  if (!fs.existsSync(path.join(out, 'constructs/index.js'))) throw new Error(`tsc emitted nothing usable for ${tree}`);
  fs.symlinkSync(path.join(current, 'node_modules'), path.join(out, 'node_modules'));
}

/** Where a frame's code lives: a package, a directory of the tree, node itself, or V8's own entries. */
function packageOf(f: CallFrame, roots: string[]): string {
  const url = f.url.replace(/^file:\/\//, '');
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  // The innermost package: cdk8s bundles its own yaml (node_modules/cdk8s/node_modules/yaml).
  const nm = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].pop();
  if (nm) return url.includes('/node_modules/cdk8s/node_modules/') ? `${nm[1]} (bundled in cdk8s)` : nm[1];
  if (url.startsWith('node:')) return 'node';
  for (const r of roots) if (url.startsWith(`${r}/`)) return `${url.slice(r.length + 1).split('/')[0]}/ (tree)`;
  return url;
}

function frameName(f: CallFrame, roots: string[]): string {
  let url = f.url.replace(/^file:\/\//, '');
  for (const r of roots) if (url.startsWith(`${r}/`)) url = url.slice(r.length + 1);
  url = url.replace(/^.*?\/node_modules\//, 'node_modules/');
  return `${f.functionName || '(anonymous)'}${url ? ` ${url}:${f.lineNumber + 1}` : ''}`;
}

function summarise(profile: CpuProfile, roots: string[]): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number) => { const s: ProfileNode[] = []; for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x)!); return s; };
  const isRun = (n: ProfileNode) => n.callFrame.functionName === 'run' && /\/bench\/workloads\.js$/.test(n.callFrame.url);
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) { t += d; times.push(t); }
  const under = profile.samples.map((id) => stackOf(id).some(isRun));
  const first = under.indexOf(true);
  const last = under.lastIndexOf(true);
  if (first < 0) throw new Error('no sample inside the workload\'s run: is the workload too short?');
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const pkgSelf = new Map<string, number>();
  const pkgInclusive = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let count = 0;
  for (let i = first; i <= last; i++) {
    // Frames from the workload's run down (those above it are on every stack); V8's own entries
    // such as (garbage collector) sit at the root.
    const full = stackOf(profile.samples[i]).filter((n) => n.callFrame.functionName !== '(root)');
    if (full.length === 0) continue;
    const runAt = full.findIndex(isRun);
    const stack = runAt >= 0 ? full.slice(0, runAt + 1) : full;
    count++;
    const leaf = stack[0].callFrame;
    bump(self, frameName(leaf, roots));
    bump(pkgSelf, packageOf(leaf, roots));
    for (const k of new Set(stack.map((n) => frameName(n.callFrame, roots)))) bump(inclusive, k);
    for (const k of new Set(stack.map((n) => packageOf(n.callFrame, roots)))) bump(pkgInclusive, k);
  }
  const ms = (times[last] - times[first]) / 1000;
  const pct = (n: number) => `${((100 * n) / count).toFixed(1)}%`;
  const list = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  const out: string[] = [];
  const head = execFileSync('git', ['rev-parse', '--short', ref || 'HEAD'], { cwd: current, encoding: 'utf8' }).trim();
  const dirty = !ref && execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: current, encoding: 'utf8' }).trim().length > 0;
  out.push(`${count} samples over ${ms.toFixed(0)} ms of the timed run (${workloadName} at ${head}${dirty ? ' with uncommitted changes' : ''}).`, '');
  out.push('| inclusive | self | frame |', '| --- | --- | --- |');
  for (const [k, v] of list(inclusive, top)) out.push(`| ${pct(v)} | ${pct(self.get(k) ?? 0)} | \`${k}\` |`);
  out.push('', '| self | frame |', '| --- | --- |');
  for (const [k, v] of list(self, top)) out.push(`| ${pct(v)} | \`${k}\` |`);
  out.push('', '| package | inclusive | self |', '| --- | --- | --- |');
  for (const [k, v] of list(pkgInclusive, 15)) out.push(`| ${k} | ${pct(v)} | ${pct(pkgSelf.get(k) ?? 0)} |`);
  return out.join('\n');
}

let worktree: string | undefined;
try {
  const compiledCurrent = path.join(scratch, 'current');
  compile(current, compiledCurrent);
  let root = compiledCurrent;
  if (ref) {
    worktree = path.join(scratch, 'worktree');
    execFileSync('git', ['worktree', 'add', '--detach', worktree, ref], { cwd: current, stdio: 'ignore' });
    fs.symlinkSync(path.join(current, 'node_modules'), path.join(worktree, 'node_modules'));
    root = path.join(scratch, 'baseline');
    compile(worktree, root);
  }
  const profDir = path.join(scratch, 'prof');
  const env = { scratch: path.join(scratch, 'runs') };
  const r = spawnSync(process.execPath, ['--expose-gc', '--cpu-prof', '--cpu-prof-dir', profDir, path.join(compiledCurrent, 'bench/child.js'), root, workloadName, '1', JSON.stringify(env)], { cwd: current, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  process.stderr.write(`child: ${r.stdout}`);
  const file = path.join(profDir, fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${summarise(profile, [compiledCurrent, root])}\n`);
  if (keep) { fs.mkdirSync(keep, { recursive: true }); fs.copyFileSync(file, path.join(keep, `${workloadName.replace(/\W+/g, '-')}${ref ? `-${ref}` : ''}.cpuprofile`)); }
} finally {
  if (worktree) try { execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: current, stdio: 'ignore' }); } catch { /* gone */ }
  fs.rmSync(scratch, { recursive: true, force: true });
}
