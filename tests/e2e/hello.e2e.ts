/**
 * The minimal reference cluster (hello) on an API server of its own: a blueprint is one cluster,
 * so hello's guardrails (same names as acme's, its own registries) never share a server with
 * acme's. Both deploy paths, as for acme: the Pulumi program's registered inputs (bulwark:cluster
 * hello, captured through the runtime mocks) server-side applied in dependsOn order into the empty
 * cluster, then the cdk8s output over them; zero warnings, every pod template admitted, and the
 * real scheduler places every pod.
 */
import { KubeObject } from '../../policy';
import { helloCluster } from '../../stacks/reference/hello';
import { ClusterHandle, startCluster } from './helpers/harness';
import { ApiResult, clientFor, podFromTemplate } from './helpers/kube';
import { createNode, placePods } from './helpers/nodes';
import { applyPulumiInputs, differencesFromCdk8s, objectId as id, outOfOrder, PulumiInput, pulumiInputs } from './helpers/pulumi-inputs';

const objects = helloCluster().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));

let cluster: ClusterHandle;
let kube: ReturnType<typeof clientFor>;
let resources: PulumiInput[] = [];
let viaPulumi: Array<{ r: PulumiInput; result: ApiResult }> = [];
let viaCdk8s: Array<{ object: KubeObject; result: ApiResult }> = [];
let differences: string[] = [];

beforeAll(async () => {
  resources = pulumiInputs('hello');
  cluster = await startCluster({ scheduler: true, log: (m) => process.stderr.write(`[hello-e2e] ${m}\n`) });
  kube = clientFor({ server: cluster.server, caPath: cluster.caPath, certPath: cluster.adminCertPath, keyPath: cluster.adminKeyPath });
  viaPulumi = await applyPulumiInputs(kube, resources);
  // What the Pulumi path stored, against what a server-side apply of the cdk8s object would leave.
  differences = await differencesFromCdk8s(kube, objects);
  viaCdk8s = await kube.applyAll(objects);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
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
  expect(resources.some((r) => r.dependencies.length > 0)).toBe(true);
  expect(outOfOrder(resources)).toEqual([]);
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
