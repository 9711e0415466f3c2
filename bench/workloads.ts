/**
 * Benchmark workloads, run in-process by bench/child.ts (and once each by tests/bench.test.ts).
 *
 * A "tree" workload takes the root of a source tree (the current one or a baseline's worktree) and
 * loads Bulwark from there, so the same workload runs against both trees. Trees differ: a tree
 * without BulwarkApp (before 5f65a5d) gets the old `new BulwarkChart(new App(...), ...)` path, and a
 * workload whose API a tree lacks throws, which the bench prints as n/a.
 * An "anchor" workload is what Bulwark is compared with (plain cdk8s-plus-27 synth of the same
 * shape, the YAML parse floor); it runs once per round, from the current tree's node_modules.
 *
 * Only building the instance (module loading, setup) is untimed; `run` is the timed part.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The registry every bench image comes from; every BulwarkApp trusts it. */
export const REGISTRY = 'registry.example.com';
const IMAGE_REPO = `${REGISTRY}/bench/app`;
const DIGEST = `sha256:${'ab'.repeat(32)}`;
/** Workloads per namespace in every synth shape. */
export const PER_NAMESPACE = 10;

export type Layout = 'one-chart' | 'chart-per-ns';

/** What a workload needs besides the tree: a scratch directory, and the YAML file the check cases read. */
export interface BenchEnv {
  /** A directory the workload may write into (each run writes a fresh subdirectory). */
  readonly scratch: string;
  /** The 1,000-workload YAML, for the check cases. */
  readonly yamlFile?: string;
  /** Directory of the upstream Pod Security fixtures (env BULWARK_PSS_FIXTURES). */
  readonly pssFixtures?: string;
}

export interface Instance {
  /** Untimed: builds inputs (e.g. the rendered objects the engine cases evaluate). */
  setup?(): void;
  /** Untimed: a small run of the same code, so lazy module loading and first-call JIT are not timed. */
  warm?(): void;
  /** The timed operation. */
  run(): void;
  /** Untimed, after run: the number of Kubernetes objects the last run produced or evaluated. */
  objects(): number;
  /** Untimed, after every run: removes what runs wrote. */
  cleanup?(): void;
  /** What exactly was measured, when the tree decides it (e.g. which parser). */
  readonly describe?: string;
}

export interface Workload {
  readonly name: string;
  /** tree: run against the current tree and the baseline; anchor: current tree only. */
  readonly side: 'tree' | 'anchor';
  /** Rows with the same series and growing size form a growth column. */
  readonly series: string;
  readonly size?: number;
  /** Timed runs per child process (every round is one child process). */
  readonly iterations: number;
  /** Left out of --quick runs. */
  readonly slow?: boolean;
  /** Why the workload cannot run here (e.g. no fixtures), or undefined. Checked in the parent. */
  skip?(env: BenchEnv): string | undefined;
  load(root: string, env: BenchEnv): Instance;
}

/** A fresh directory under `scratch` for one run's output. */
function freshDir(scratch: string, tag: string): string {
  fs.mkdirSync(scratch, { recursive: true });
  return fs.mkdtempSync(path.join(scratch, `${tag}-`));
}

function treeModules(root: string): { c: any; cdk8s: any } {
  return { c: require(path.join(root, 'constructs')), cdk8s: require(path.join(root, 'node_modules/cdk8s')) };
}

/**
 * `workloads` SecureWorkloads in IsolatedNamespaces of PER_NAMESPACE each, every one with HTTP
 * liveness and readiness probes, a port, and an allowFrom to the previous workload (across
 * namespaces too). One BulwarkChart, or one per namespace. Returns the App; nothing is rendered.
 */
export function buildBulwark(root: string, workloads: number, layout: Layout, outdir: string): any {
  const { c, cdk8s } = treeModules(root);
  // A tree with BulwarkApp checks the whole App once; an older tree has each BulwarkChart check itself.
  const app = c.BulwarkApp ? new c.BulwarkApp({ outdir, trustedRegistries: [REGISTRY] }) : new cdk8s.App({ outdir });
  const image = c.Image.pinned(IMAGE_REPO, DIGEST);
  const port = c.Port.tcp(8080);
  let chart: any = layout === 'one-chart' ? new c.BulwarkChart(app, 'bench') : undefined;
  let previous: any;
  for (let n = 0; n * PER_NAMESPACE < workloads; n++) {
    if (layout === 'chart-per-ns') chart = new c.BulwarkChart(app, `team-${n}`);
    const ns = new c.IsolatedNamespace(chart, `team-${n}`);
    for (let w = 0; w < PER_NAMESPACE && n * PER_NAMESPACE + w < workloads; w++) {
      const wl = new c.SecureWorkload(chart, `app-${n}-${w}`, {
        namespace: ns,
        containers: [{
          name: 'app',
          image,
          ports: [port],
          liveness: c.Probe.fromHttpGet('/healthz', { port: 8080 }),
          readiness: c.Probe.fromHttpGet('/ready', { port: 8080 }),
        }],
      });
      if (previous) wl.allowFrom(previous, port);
      previous = wl;
    }
  }
  return app;
}

/**
 * The plain cdk8s-plus-27 anchor: the same Namespaces, Deployments (same container, port and HTTP
 * probes) and Services, one Chart or one per namespace, no policy, no NetworkPolicies.
 */
export function buildPlain(workloads: number, layout: Layout, outdir: string): any {
  const { App, Chart } = require('cdk8s');
  const kplus = require('cdk8s-plus-27');
  const app = new App({ outdir });
  let chart: any = layout === 'one-chart' ? new Chart(app, 'bench') : undefined;
  for (let n = 0; n * PER_NAMESPACE < workloads; n++) {
    if (layout === 'chart-per-ns') chart = new Chart(app, `team-${n}`);
    const ns = new kplus.Namespace(chart, `team-${n}`, { metadata: { name: `team-${n}` } });
    for (let w = 0; w < PER_NAMESPACE && n * PER_NAMESPACE + w < workloads; w++) {
      const d = new kplus.Deployment(chart, `app-${n}-${w}`, {
        metadata: { namespace: ns.name },
        containers: [{
          name: 'app',
          image: `${IMAGE_REPO}@${DIGEST}`,
          ports: [{ number: 8080 }],
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
          readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        }],
      });
      d.exposeViaService({ ports: [{ port: 8080 }] });
    }
  }
  return app;
}

/** Every ApiObject of an App, rendered (JSON patches applied) without running any validation. */
export function renderObjects(app: any): any[] {
  const { ApiObject } = require('cdk8s');
  return app.node.findAll().filter((x: unknown) => x instanceof ApiObject).map((o: any) => o.toJson());
}

function countApiObjects(app: any): number {
  const { ApiObject } = require('cdk8s');
  return app.node.findAll().filter((x: unknown) => x instanceof ApiObject).length;
}

/** A synth case: construct the App and app.synth() to a fresh directory on disk. */
function synthInstance(build: (workloads: number, outdir: string) => any, workloads: number, env: BenchEnv, tag: string): Instance {
  let last: any;
  const dirs: string[] = [];
  const once = (n: number) => {
    const dir = freshDir(env.scratch, tag);
    dirs.push(dir);
    last = build(n, dir);
    last.synth();
  };
  return {
    warm: () => once(Math.min(workloads, PER_NAMESPACE)),
    run: () => once(workloads),
    objects: () => countApiObjects(last),
    cleanup: () => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); },
  };
}

const SYNTH_SIZES = [10, 100, 1000];
const ENGINE_SIZES = [10, 100, 1000, 10000];
const LAYOUTS: Layout[] = ['one-chart', 'chart-per-ns'];
const synthIterations = (n: number) => (n <= 10 ? 10 : n <= 100 ? 3 : 1);

/** The packs that together hold every rule, when the tree has them. */
function allPacks(root: string): string[] | undefined {
  try {
    return [...require(path.join(root, 'policy/packs')).PACK_NAMES];
  } catch {
    return undefined;
  }
}

function pssFixtures(dir: string): Array<{ level: string; version: string; pod: unknown }> {
  const { parse } = require('yaml');
  const out: Array<{ level: string; version: string; pod: unknown }> = [];
  for (const level of ['baseline', 'restricted']) {
    for (const v of fs.readdirSync(path.join(dir, level)).sort()) {
      for (const kind of ['pass', 'fail']) {
        const d = path.join(dir, level, v, kind);
        if (!fs.existsSync(d)) continue;
        for (const f of fs.readdirSync(d).sort()) {
          out.push({ level, version: v.replace(/^v/, ''), pod: parse(fs.readFileSync(path.join(d, f), 'utf8')) });
        }
      }
    }
  }
  return out;
}

function pssSkip(env: BenchEnv): string | undefined {
  if (!env.pssFixtures) return 'BULWARK_PSS_FIXTURES is not set (a directory with baseline/ and restricted/ fixture trees)';
  for (const level of ['baseline', 'restricted']) {
    if (!fs.existsSync(path.join(env.pssFixtures, level))) return `BULWARK_PSS_FIXTURES=${env.pssFixtures} has no ${level}/ directory`;
  }
  return undefined;
}

/**
 * The function cli/bulwark.ts (in the tree at `root`) imports to read manifest files, found from
 * its import lines and called through that module's public API: `read(file)` reads and parses the
 * file as `bulwark check` does and returns the number of objects (or documents) read. Throws,
 * naming cli's imports, when cli uses a reader this bench does not know yet.
 */
export function cliManifestParser(root: string): { describe: string; read: (file: string) => number } {
  const cliDir = path.join(root, 'cli');
  // The command's own file, and (since check moved into its own modules) the one that reads the inputs.
  const source = ['bulwark.ts', 'inspect.ts'].filter((f) => fs.existsSync(path.join(cliDir, f))).map((f) => fs.readFileSync(path.join(cliDir, f), 'utf8')).join('\n');
  const imports = [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)]
    .map((m) => ({ names: m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]), spec: m[2] }));
  const load = (spec: string) => require(spec.startsWith('.') ? path.resolve(cliDir, spec) : require.resolve(spec, { paths: [cliDir] }));
  const text = (file: string) => fs.readFileSync(file, 'utf8');
  // Newest first: each entry is a reader some tree's cli has used.
  const known: Record<string, (fn: any) => (file: string) => number> = {
    readManifests: (fn) => (file) => fn([file]).objects.length,
    parseKubernetesStream: (fn) => (file) => fn(text(file)).documents.length,
    parseAllDocuments: (fn) => (file) => fn(text(file)).map((d: any) => d.toJSON()).filter((o: unknown) => o != null).length,
  };
  for (const [name, call] of Object.entries(known)) {
    const imp = imports.find((i) => i.names.includes(name));
    if (imp) return { describe: `${name} from '${imp.spec}'`, read: call(load(imp.spec)[name]) };
  }
  throw new Error(`cli/bulwark.ts imports none of ${Object.keys(known).join(', ')} (it imports from ${imports.map((i) => i.spec).join(', ')}): teach cliManifestParser in bench/workloads.ts its reader`);
}

export const WORKLOADS: Workload[] = [
  ...LAYOUTS.flatMap((layout) => SYNTH_SIZES.map((size): Workload => ({
    name: `synth/${layout}/${size}`,
    side: 'tree',
    series: `synth/${layout}`,
    size,
    iterations: synthIterations(size),
    load: (root, env) => synthInstance((n, dir) => buildBulwark(root, n, layout, dir), size, env, `bulwark-${layout}-${size}`),
  }))),
  ...LAYOUTS.flatMap((layout) => SYNTH_SIZES.map((size): Workload => ({
    name: `plain-cdk8s-plus/${layout}/${size}`,
    side: 'anchor',
    series: `plain-cdk8s-plus/${layout}`,
    size,
    iterations: synthIterations(size),
    load: (_root, env) => synthInstance((n, dir) => buildPlain(n, layout, dir), size, env, `plain-${layout}-${size}`),
  }))),
  ...ENGINE_SIZES.map((size): Workload => ({
    name: `engine/${size}-objects`,
    side: 'tree',
    series: 'engine',
    size,
    slow: size > 1000,
    iterations: size <= 100 ? 20 : size <= 1000 ? 5 : 1,
    load: (root, env) => {
      const { evaluate } = require(path.join(root, 'policy'));
      const packs = allPacks(root);
      const options = { ...(packs ? { packs } : {}), trustedRegistries: [REGISTRY] };
      let objects: any[] = [];
      return {
        // Enough workloads for `size` objects (each brings at least five), rendered once, unchecked.
        setup: () => { objects = renderObjects(buildBulwark(root, Math.max(2, Math.ceil(size / 5)), 'one-chart', path.join(env.scratch, 'engine-never-written'))).slice(0, size); },
        warm: () => { evaluate(objects.slice(0, 10), options); },
        run: () => { evaluate(objects, options); },
        objects: () => objects.length,
      };
    },
  })),
  {
    name: 'check/in-process',
    side: 'tree',
    series: 'check/in-process',
    iterations: 3,
    skip: (env) => (env.yamlFile ? undefined : 'no YAML file generated'),
    load: (root, env) => {
      const { run } = require(path.join(root, 'cli/bulwark'));
      let count = 0;
      return {
        warm: () => { run(['rules']); },
        run: () => {
          const r = run(['check', env.yamlFile!]);
          if (r.code === 2) throw new Error(r.stderr);
          count = Number(/(\d+) objects/.exec(r.stdout)?.[1] ?? NaN);
        },
        objects: () => count,
      };
    },
  },
  {
    // The parser cli/bulwark.ts reads manifests with, found from its imports and called through
    // that module's public function (see cliManifestParser), so the floor follows cli when it changes.
    name: 'check/yaml-parse-floor',
    side: 'tree',
    series: 'check/yaml-parse-floor',
    iterations: 3,
    skip: (env) => (env.yamlFile ? undefined : 'no YAML file generated'),
    load: (root, env) => {
      const parser = cliManifestParser(root);
      let count = 0;
      return {
        describe: parser.describe,
        warm: () => {
          const small = path.join(freshDir(env.scratch, 'warm'), 'small.yaml');
          fs.writeFileSync(small, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n');
          parser.read(small);
        },
        run: () => { count = parser.read(env.yamlFile!); },
        objects: () => count,
      };
    },
  },
  {
    name: 'synth/reference-stack',
    side: 'tree',
    series: 'synth/reference-stack',
    iterations: 5,
    load: (root, env) => {
      const { buildApp } = require(path.join(root, 'stacks/app'));
      let last: any;
      const dirs: string[] = [];
      const once = () => { const outdir = freshDir(env.scratch, 'reference'); dirs.push(outdir); last = buildApp({ outdir }); last.synth(); };
      return { warm: once, run: once, objects: () => countApiObjects(last), cleanup: () => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'engine/pss-fixtures',
    side: 'tree',
    series: 'engine/pss-fixtures',
    iterations: 5,
    skip: pssSkip,
    load: (root, env) => {
      const { evaluate } = require(path.join(root, 'policy'));
      let all: Array<{ level: string; version: string; pod: unknown }> = [];
      const once = () => { for (const f of all) evaluate([f.pod], { kubernetesVersion: f.version, packs: [`pss-${f.level}`] }); };
      return { setup: () => { all = pssFixtures(env.pssFixtures!); }, warm: once, run: once, objects: () => all.length };
    },
  },
];

export function workload(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) throw new Error(`no workload "${name}"`);
  return w;
}

/** The environment children get: the scratch directory and files the parent prepared. */
export function benchEnv(scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-')), yamlFile?: string): BenchEnv {
  const pss = process.env.BULWARK_PSS_FIXTURES;
  return { scratch, yamlFile, pssFixtures: pss && pss.length > 0 ? path.resolve(pss) : undefined };
}
