/**
 * Benchmark workloads. Each takes the root of a source tree (the current one or the baseline's
 * worktree) and loads Bulwark from there, so the same workload runs against both trees. Only APIs
 * that have existed since the engine's first commit are used.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Workload = (root: string) => { setup?: () => void; run: () => void; ops: number };

const FIXTURES = path.resolve(__dirname, '../../shared/fixtures/pod-security');

function fixtures(): Array<{ level: string; version: string; pod: unknown }> {
  const { parse } = require('yaml');
  const out: Array<{ level: string; version: string; pod: unknown }> = [];
  for (const level of ['baseline', 'restricted']) {
    for (const dir of fs.readdirSync(path.join(FIXTURES, level))) {
      for (const kind of ['pass', 'fail']) {
        for (const f of fs.readdirSync(path.join(FIXTURES, level, dir, kind))) {
          out.push({ level, version: dir.slice(1), pod: parse(fs.readFileSync(path.join(FIXTURES, level, dir, kind, f), 'utf8')) });
        }
      }
    }
  }
  return out;
}

/** A chart with `namespaces` IsolatedNamespaces of `perNamespace` SecureWorkloads each, chained by allowFrom. */
function bigChart(root: string, namespaces: number, perNamespace: number): any {
  const { Testing } = require(path.join(root, 'node_modules/cdk8s'));
  const c = require(path.join(root, 'constructs'));
  const chart = new c.BulwarkChart(Testing.app(), 'bench', { now: new Date('2026-11-22T00:00:00Z') });
  const image = c.Image.pinned('registry.example.com/bench/app', `sha256:${'ab'.repeat(32)}`);
  let previous: any;
  for (let n = 0; n < namespaces; n++) {
    const ns = new c.IsolatedNamespace(chart, `team-${n}`);
    for (let w = 0; w < perNamespace; w++) {
      const wl = new c.SecureWorkload(chart, `app-${n}-${w}`, {
        namespace: ns,
        containers: [{ name: 'app', image, ports: [c.Port.tcp(8080)], liveness: c.Probe.fromHttpGet('/healthz', { port: 8080 }), readiness: c.Probe.fromHttpGet('/ready', { port: 8080 }) }],
      });
      if (previous) wl.allowFrom(previous, c.Port.tcp(8080));
      previous = wl;
    }
  }
  return chart;
}

export const WORKLOADS: Record<string, Workload> = {
  /** The reference cluster: construct, patch, validate and render (what `npm run synth` does). */
  'synth-reference': (root) => {
    const { buildApp } = require(path.join(root, 'stacks/app'));
    return { ops: 1, run: () => { for (const chart of buildApp({ outdir: '/nonexistent' }).charts) chart.toJson(); } };
  },
  /** 100 workloads in 10 namespaces: synth-time validation with cross-object rules. */
  'synth-100-workloads': (root) => ({ ops: 1, run: () => { bigChart(root, 10, 10).toJson(); } }),
  /** The 716 upstream Pod Security fixtures, each at its level and minor. */
  'evaluate-pss-fixtures': (root) => {
    const { evaluate } = require(path.join(root, 'policy'));
    const all = fixtures();
    return { ops: all.length, run: () => { for (const f of all) evaluate([f.pod], { kubernetesVersion: f.version, packs: [`pss-${f.level}`] }); } };
  },
  /** Every rule over the ~1,000 objects of 100 workloads at once (the `bulwark check` path). */
  'evaluate-1000-objects': (root) => {
    const { evaluate } = require(path.join(root, 'policy'));
    let objects: unknown[] = [];
    return {
      ops: 1,
      setup: () => { objects = bigChart(root, 10, 10).toJson(); },
      run: () => { evaluate(objects, { now: new Date('2026-11-22T00:00:00Z') }); },
    };
  },
};
