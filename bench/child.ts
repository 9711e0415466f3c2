/**
 * One measurement in a fresh process:
 *   node --expose-gc -r ts-node/register/transpile-only bench/child.ts ROOT WORKLOAD ITERATIONS ENV_JSON
 * Loads the workload from the tree at ROOT, runs its setup and a small warm-up (untimed), then
 * ITERATIONS timed runs, each after a forced GC. Prints one JSON line: every run's wall and CPU
 * milliseconds, the object count, and the process's peak RSS (getrusage maxrss, module loading
 * included).
 *
 *   ... bench/child.ts ROOT --write-yaml WORKLOADS LAYOUT OUTDIR
 * synthesizes a Bulwark workload to OUTDIR (the YAML the check cases read) and prints its files.
 */
import * as fs from 'fs';
import { BenchEnv, buildBulwark, Layout, workload } from './workloads';

export interface ChildResult {
  /** Wall milliseconds of each timed run. */
  readonly samplesMs: number[];
  /** CPU milliseconds (user + system, every thread of the process, GC included) of each timed run. */
  readonly cpuMs: number[];
  readonly objects: number;
  readonly maxRssMB: number;
  readonly setupMs: number;
  readonly describe?: string;
}

function main(): void {
  const [root, name, ...rest] = process.argv.slice(2);
  if (name === '--write-yaml') {
    const [workloads, layout, outdir] = rest;
    buildBulwark(root, Number(workloads), layout as Layout, outdir).synth();
    process.stdout.write(JSON.stringify(fs.readdirSync(outdir).sort()));
    return;
  }
  const iterations = Number(rest[0]);
  const env = JSON.parse(rest[1]) as BenchEnv;
  const gc = (globalThis as any).gc as (() => void) | undefined;
  const s = process.hrtime.bigint();
  const instance = workload(name).load(root, env);
  instance.setup?.();
  instance.warm?.();
  instance.cleanup?.();
  const setupMs = Number(process.hrtime.bigint() - s) / 1e6;
  const samplesMs: number[] = [];
  const cpuMs: number[] = [];
  let objects = 0;
  for (let i = 0; i < iterations; i++) {
    gc?.();
    const cpu = process.cpuUsage();
    const t = process.hrtime.bigint();
    instance.run();
    samplesMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    objects = instance.objects();
    instance.cleanup?.();
  }
  const result: ChildResult = { samplesMs, cpuMs, objects, maxRssMB: process.resourceUsage().maxRSS / 1024, setupMs, ...(instance.describe ? { describe: instance.describe } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
