/**
 * Keeps `npm run bench` from rotting: every bench workload runs once, at the smallest size of its
 * series, in this process, and produces the objects its shape says it must. Nothing is timed here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { BenchEnv, buildBulwark, Instance, PER_NAMESPACE, Workload, WORKLOADS } from '../bench/workloads';

const ROOT = path.resolve(__dirname, '..');

/** Every YAML document under `dir`, by kind. */
function kindsOnDisk(dir: string): Record<string, number> {
  const kinds: Record<string, number> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const o = doc.toJSON();
          if (o) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
        }
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return kinds;
}

const total = (kinds: Record<string, number>) => Object.values(kinds).reduce((a, b) => a + b, 0);

/** The smallest size of each series, and every workload without a size. */
const smallest: Workload[] = WORKLOADS.filter((w) => w.size === undefined || w.size === Math.min(...WORKLOADS.filter((x) => x.series === w.series).map((x) => x.size!)));

let tmp: string;
let yamlFile: string;
let yamlDocuments: number;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-test-'));
  const dir = path.join(tmp, 'yaml');
  buildBulwark(ROOT, PER_NAMESPACE, 'one-chart', dir).synth();
  yamlFile = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.yaml'))!);
  yamlDocuments = total(kindsOnDisk(dir));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Loads, sets up, warms and runs a workload once, as bench/child.ts does; returns what it wrote. */
function runOnce(w: Workload): { instance: Instance; objects: number; kinds: Record<string, number> } {
  const env: BenchEnv = { scratch: path.join(tmp, w.name.replace(/\W+/g, '-')), yamlFile };
  const instance = w.load(ROOT, env);
  instance.setup?.();
  instance.warm?.();
  instance.cleanup?.();
  instance.run();
  const out = { instance, objects: instance.objects(), kinds: kindsOnDisk(env.scratch) };
  instance.cleanup?.();
  return out;
}

test('the smallest size of every series is 10', () => {
  for (const w of WORKLOADS.filter((x) => x.size !== undefined)) expect(smallest.some((s) => s.series === w.series && s.size === 10)).toBe(true);
});

describe.each(smallest.filter((w) => w.series.startsWith('synth/') && w.size !== undefined).map((w) => [w.name, w] as const))('%s', (_name, w) => {
  test('writes one Namespace, the Deployments and Services, and counts every object it wrote', () => {
    const { objects, kinds } = runOnce(w);
    expect(kinds).toMatchObject({ Namespace: 1, Deployment: 10, Service: 10 });
    // Bulwark adds what SecureWorkload and IsolatedNamespace always bring, allowFrom included.
    expect(kinds.NetworkPolicy).toBeGreaterThanOrEqual(10);
    expect(kinds.PodDisruptionBudget).toBe(10);
    expect(objects).toBe(total(kinds));
  });
});

describe.each(smallest.filter((w) => w.series.startsWith('plain-cdk8s-plus/')).map((w) => [w.name, w] as const))('%s', (_name, w) => {
  test('writes the same Namespace, Deployments and Services, and nothing else', () => {
    const { objects, kinds } = runOnce(w);
    expect(kinds).toEqual({ Namespace: 1, Deployment: 10, Service: 10 });
    expect(objects).toBe(21);
  });
});

test('engine: evaluates exactly the number of objects its size names', () => {
  const w = smallest.find((x) => x.series === 'engine')!;
  expect(runOnce(w).objects).toBe(w.size);
});

test('check in-process and the YAML parse floor read every document of the YAML', () => {
  expect(yamlDocuments).toBeGreaterThan(2 * PER_NAMESPACE);
  for (const name of ['check/in-process', 'check/yaml-parse-floor']) {
    const w = WORKLOADS.find((x) => x.name === name)!;
    const r = runOnce(w);
    expect(r.objects).toBe(yamlDocuments);
  }
  expect(runOnce(WORKLOADS.find((x) => x.name === 'check/yaml-parse-floor')!).instance.describe).toMatch(/^\w+ from '/);
});

test('reference stack: synthesizes every object of the shipped App to disk', () => {
  const { objects, kinds } = runOnce(WORKLOADS.find((x) => x.name === 'synth/reference-stack')!);
  expect(objects).toBeGreaterThan(0);
  expect(objects).toBe(total(kinds));
});

test('Pod Security fixtures: read from BULWARK_PSS_FIXTURES only, skipped with a reason without it', () => {
  const w = WORKLOADS.find((x) => x.name === 'engine/pss-fixtures')!;
  expect(w.skip!({ scratch: tmp })).toMatch(/BULWARK_PSS_FIXTURES is not set/);
  expect(w.skip!({ scratch: tmp, pssFixtures: path.join(tmp, 'missing') })).toMatch(/has no baseline\/ directory/);
  const dir = process.env.BULWARK_PSS_FIXTURES;
  if (dir && !w.skip!({ scratch: tmp, pssFixtures: path.resolve(dir) })) {
    const instance = w.load(ROOT, { scratch: tmp, pssFixtures: path.resolve(dir) });
    instance.setup!();
    instance.run();
    expect(instance.objects()).toBeGreaterThan(0);
  }
});

test('no workload reads the design folder beside the clone (a user\'s clone has none)', () => {
  const beside = ['..', 'shared'].join('/');
  const source = fs.readFileSync(path.join(ROOT, 'bench/workloads.ts'), 'utf8');
  expect(source.includes(beside)).toBe(false);
  expect(source.includes(`'${beside.split('/')[1]}'`)).toBe(false);
});
