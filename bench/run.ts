/**
 * npm run bench [-- --baseline REF] [--rounds N] [--iterations N] [--only NAME]
 *
 * Runs every workload against the current tree and a baseline (a git ref checked out as a
 * temporary worktree; default: the previous commit), in alternating child processes so both see
 * the same machine state, and prints the medians side by side with their ratios (current/baseline:
 * below 1 is faster or smaller). Timings are never asserted in tests; this is the measurement.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WORKLOADS } from './workloads';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const ref = opt('--baseline', 'HEAD~1');
const rounds = Number(opt('--rounds', '3'));
const iterations = Number(opt('--iterations', '5'));
const only = opt('--only', '');
const current = path.resolve(__dirname, '..');

const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: current, encoding: 'utf8' }).trim();
const baseline = fs.mkdtempSync(path.join(os.tmpdir(), `bulwark-bench-${sha}-`));
execFileSync('git', ['worktree', 'add', '--detach', baseline, ref], { cwd: current, stdio: 'ignore' });
fs.symlinkSync(path.join(current, 'node_modules'), path.join(baseline, 'node_modules'));

function measure(root: string, name: string): { msPerOp: number; peakHeapMB: number } | undefined {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'child.ts'), root, name, String(iterations)], {
    cwd: current, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(current, 'tsconfig.json') },
  });
  if (r.status !== 0) return undefined;
  return JSON.parse(r.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: string[][] = [];
try {
  for (const name of Object.keys(WORKLOADS).filter((n) => !only || n === only)) {
    const res: Record<'base' | 'cur', Array<{ msPerOp: number; peakHeapMB: number }>> = { base: [], cur: [] };
    for (let r = 0; r < rounds; r++) {
      const b = measure(baseline, name); if (b) res.base.push(b);
      const c = measure(current, name); if (c) res.cur.push(c);
    }
    const fmt = (x?: number) => (x === undefined ? 'n/a' : x < 1 ? x.toFixed(3) : x.toFixed(1));
    const bt = res.base.length ? median(res.base.map((x) => x.msPerOp)) : undefined;
    const ct = res.cur.length ? median(res.cur.map((x) => x.msPerOp)) : undefined;
    const bh = res.base.length ? median(res.base.map((x) => x.peakHeapMB)) : undefined;
    const ch = res.cur.length ? median(res.cur.map((x) => x.peakHeapMB)) : undefined;
    rows.push([name, fmt(bt), fmt(ct), bt && ct ? (ct / bt).toFixed(2) : 'n/a', fmt(bh), fmt(ch), bh && ch ? (ch / bh).toFixed(2) : 'n/a']);
  }
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', baseline], { cwd: current, stdio: 'ignore' });
}
const header = ['workload', `ms/op ${sha}`, 'ms/op now', 'ratio', `heap MB ${sha}`, 'heap MB now', 'ratio'];
process.stdout.write([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
process.stdout.write(`baseline ${ref} (${sha}), ${rounds} rounds x ${iterations} iterations, medians; n/a: the workload does not exist or fails in that tree.\n`);
