/**
 * The minimal reference cluster (hello) on an API server of its own: a blueprint is one cluster,
 * so hello's guardrails (same names as acme's, its own registries) never share a server with
 * acme's. Both deploy paths, as for acme: the Pulumi program's registered inputs (bulwark:cluster
 * hello, captured through the runtime mocks) server-side applied in dependsOn order into the empty
 * cluster, then the cdk8s output over them; zero warnings, every pod template admitted, and the
 * real scheduler places every pod.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeObject } from '../../policy';
import { helloCluster } from '../../stacks/reference/hello';
import { ClusterHandle, startCluster } from './helpers/harness';
import { ApiResult, clientFor, comparable, podFromTemplate } from './helpers/kube';
import { createNode, placePods } from './helpers/nodes';

interface Dumped { urn: string; tier: string; dependencies: string[]; inputs: KubeObject }

const root = process.cwd(); // jest's rootDir; ESM modules have no __dirname
const objects = helloCluster().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
const id = (o: KubeObject) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

let work: string;
let cluster: ClusterHandle;
let kube: ReturnType<typeof clientFor>;
let resources: Dumped[] = [];
const viaPulumi: Array<{ r: Dumped; result: ApiResult }> = [];
let viaCdk8s: Array<{ object: KubeObject; result: ApiResult }> = [];
const differences: string[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-hello-e2e-'));
  const out = path.join(work, 'inputs.json');
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'tests/helpers/pulumi-dump.ts'), out, 'hello'], {
    cwd: root, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), NODE_OPTIONS: '' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  resources = JSON.parse(fs.readFileSync(out, 'utf8'));
  cluster = await startCluster({ scheduler: true, log: (m) => process.stderr.write(`[hello-e2e] ${m}\n`) });
  kube = clientFor({ server: cluster.server, caPath: cluster.caPath, certPath: cluster.adminCertPath, keyPath: cluster.adminKeyPath });
  for (const r of resources) {
    const result = await kube.api(`${await kube.pathOf(r.inputs)}?fieldManager=bulwark-pulumi&force=true`, { method: 'PATCH', body: r.inputs, contentType: 'application/apply-patch+yaml' });
    viaPulumi.push({ r, result });
  }
  // What the Pulumi path stored, against what a server-side apply of the cdk8s object would leave.
  for (const o of objects) {
    const stored = await kube.api(await kube.pathOf(o));
    const cdk8s = await kube.apply(o, true);
    if (stored.status !== 200 || cdk8s.status !== 200) differences.push(`${id(o)}: ${stored.status}/${cdk8s.status}`);
    else if (JSON.stringify(comparable(stored.body)) !== JSON.stringify(comparable(cdk8s.body))) differences.push(id(o));
  }
  viaCdk8s = await kube.applyAll(objects);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
  if (work && process.env.BULWARK_E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
});

const failures = (rs: Array<{ what: string; result: ApiResult }>) => rs.filter((x) => x.result.status !== 200 && x.result.status !== 201)
  .map((x) => `${x.what}: ${x.result.status} ${x.result.body?.message ?? ''}`);
const warnings = (rs: Array<{ what: string; result: ApiResult }>) => rs.flatMap((x) => x.result.warnings.map((w) => `${x.what}: ${w}`));

test('the Pulumi program registers exactly the cdk8s objects of the hello cluster', () => {
  expect(objects.length).toBeGreaterThan(10);
  expect(resources.map((r) => id(r.inputs)).sort()).toEqual(objects.map(id).sort());
});

test('its inputs are all admitted into an empty cluster, in dependsOn order, with zero warnings', () => {
  const applied = viaPulumi.map((x) => ({ what: x.r.urn, result: x.result }));
  expect(failures(applied)).toEqual([]);
  expect(warnings(applied)).toEqual([]);
  const position = new Map(resources.map((r, i) => [r.urn, i]));
  for (const r of resources) for (const d of r.dependencies) expect(position.get(d)!).toBeLessThan(position.get(r.urn)!);
});

test('they leave the cluster holding what the cdk8s path makes of the same objects', () => {
  expect(differences).toEqual([]);
});

test('the cdk8s output applies over them with zero warnings (Pod Security included)', () => {
  const applied = viaCdk8s.map((x) => ({ what: id(x.object), result: x.result }));
  expect(applied).toHaveLength(objects.length);
  expect(failures(applied)).toEqual([]);
  expect(warnings(applied)).toEqual([]);
});

test('every pod template, created as a dry-run Pod, is admitted with zero warnings', async () => {
  const pods = objects.map(podFromTemplate).filter((p): p is KubeObject => p !== undefined);
  expect(pods.length).toBeGreaterThan(0);
  for (const pod of pods) {
    const r = await kube.dryRunCreate(pod);
    expect(`${pod.metadata!.name}: ${r.status} ${r.body?.message ?? ''} ${r.warnings.join('; ')}`.trim()).toBe(`${pod.metadata!.name}: 201`);
  }
});

test('the real scheduler places every pod on the general nodes (hello has no dedicated pool)', async () => {
  expect(objects.some((o) => o.metadata?.annotations?.['bulwark.dev/dedicated-pool'])).toBe(false);
  await createNode(kube.api, 'general-1', 'zone-a');
  await createNode(kube.api, 'general-2', 'zone-b');
  const placements = await placePods(kube.api, objects, []);
  expect(placements.length).toBeGreaterThan(0);
  expect(placements.filter((p) => !p.endsWith('-> general node: ok'))).toEqual([]);
});
