/**
 * One measurement: node --expose-gc child.js ROOT WORKLOAD ITERATIONS. Prints JSON with the median
 * milliseconds per operation and the heap used after the runs (after a forced GC).
 */
import { WORKLOADS } from './workloads';

const [root, name, iterationsText] = process.argv.slice(2);
const workload = WORKLOADS[name](root);
const gc = (globalThis as any).gc as (() => void) | undefined;
workload.setup?.();
workload.run(); // warm-up: module loading and JIT
gc?.();
const before = process.memoryUsage().heapUsed;
const times: number[] = [];
let peak = before;
for (let i = 0; i < Number(iterationsText); i++) {
  const t = process.hrtime.bigint();
  workload.run();
  times.push(Number(process.hrtime.bigint() - t) / 1e6 / workload.ops);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ msPerOp: times[Math.floor(times.length / 2)], peakHeapMB: peak / 2 ** 20 }));
