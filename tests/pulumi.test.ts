/**
 * The Pulumi path, under Pulumi's runtime mocks (no engine, no provider): the program registers
 * one typed @pulumi/kubernetes resource per object of the cdk8s output, in dependsOn tiers, with
 * configuration secrets kept secret. What the mocks capture is what tests/e2e/pulumi.e2e.ts applies.
 */
import * as pulumi from '@pulumi/pulumi';
import { buildApp } from '../stacks/app';
import { KubeObject } from '../policy';
import { captureProgram, CapturedResource } from './helpers/pulumi-capture';

const identity = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

let captured: CapturedResource[];
beforeAll(async () => {
  captured = await captureProgram({ 'bulwark:registryCredentials': '{"auths":{"registry.example.com":{"auth":"c2VjcmV0"}}}' }, ['bulwark:registryCredentials']);
});

test('every object of the cdk8s output is one typed resource with its own URN, and nothing else but the configured secret', () => {
  const cdk8s = buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
  const k8sResources = captured.filter((r) => r.type.startsWith('kubernetes:'));
  expect(k8sResources.map((r) => identity(r.inputs)).sort()).toEqual([...cdk8s.map(identity), 'v1 Secret storefront/storefront-registry'].sort());
  // Inputs equal the synthesized objects field for field.
  const byId = new Map(k8sResources.map((r) => [identity(r.inputs), r.inputs]));
  for (const o of cdk8s) expect(byId.get(identity(o))).toEqual(o);
  // Typed: the type token is the kind's own (kubernetes:apps/v1:Deployment), and URNs are distinct.
  expect(k8sResources.find((r) => r.inputs.kind === 'Deployment')!.type).toBe('kubernetes:apps/v1:Deployment');
  expect(k8sResources.find((r) => r.inputs.kind === 'HorizontalPodAutoscaler')!.type).toBe('kubernetes:autoscaling/v2:HorizontalPodAutoscaler');
  expect(k8sResources.find((r) => r.inputs.kind === 'HTTPRoute')!.type).toBe('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute');
  expect(new Set(k8sResources.map((r) => r.urn)).size).toBe(k8sResources.length);
  // Each object's parent is its chart's component.
  expect(new Set(captured.filter((r) => r.type === 'bulwark:index:Chart').map((r) => r.name))).toEqual(new Set(['platform', 'shop', 'payments', 'storefront']));
});

test('namespaces come before the guardrails\' parameters, those before guardrails and RBAC, and those before workloads', () => {
  const tierOf = (r: CapturedResource) => r.tier;
  const byUrn = new Map(captured.map((r) => [r.urn, r]));
  const order = ['definitions', 'namespaces', 'parameters', 'guardrails', 'workloads'];
  // The clock every waivable guardrail's binding reads (paramRef) is in place before any binding.
  const clock = captured.find((r) => r.inputs?.kind === 'ConfigMap' && r.inputs.metadata?.name === 'bulwark-guardrail-clock')!;
  expect(clock.tier).toBe('parameters');
  for (const b of captured.filter((r) => r.inputs?.kind === 'ValidatingAdmissionPolicyBinding')) expect(b.tier).toBe('guardrails');
  const workloads = captured.filter((r) => ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(r.inputs?.kind));
  expect(workloads.length).toBeGreaterThan(0);
  for (const r of captured.filter((x) => x.tier !== undefined)) {
    for (const dep of r.dependencies) {
      const d = byUrn.get(dep);
      if (d?.tier === undefined) continue;
      expect(order.indexOf(tierOf(d)!)).toBeLessThan(order.indexOf(tierOf(r)!));
    }
  }
  for (const w of workloads) {
    const deps = w.dependencies.map((u) => byUrn.get(u)!.inputs.kind);
    expect(deps).toEqual(expect.arrayContaining(['NetworkPolicy', 'ServiceAccount']));
  }
  // A RoleBinding waits for the namespaces: through the parameters tier, which waits for them.
  const rbac = captured.find((r) => r.inputs?.kind === 'RoleBinding')!;
  const upstream = (r: CapturedResource): string[] => r.dependencies.flatMap((u) => [byUrn.get(u)!.inputs.kind, ...upstream(byUrn.get(u)!)]);
  expect(rbac.dependencies.map((u) => byUrn.get(u)!.inputs.kind)).toEqual(expect.arrayContaining(['ConfigMap']));
  expect(upstream(rbac)).toContain('Namespace');
});

test('a value given as a Pulumi secret stays secret and never reaches the cdk8s output', async () => {
  const secret = captured.find((r) => r.inputs?.kind === 'Secret')!;
  expect(secret.secretInputs).toContain('stringData');
  expect(await pulumi.isSecret((secret.resource as any).stringData)).toBe(true);
  // What the provider receives, unwrapped, is the configured value itself.
  expect(secret.inputs.stringData).toEqual({ '.dockerconfigjson': '{"auths":{"registry.example.com":{"auth":"c2VjcmV0"}}}' });
  const dist = JSON.stringify(buildApp().synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json)));
  expect(dist).not.toContain('c2VjcmV0');
  expect(dist).not.toContain('dockerconfigjson');
});

describe('red-team regressions on the Pulumi path', () => {
  const { resourceClassFor } = jest.requireActual('../stacks/pulumi-program');
  test('a look-alike API group never becomes the real typed resource', () => {
    expect(resourceClassFor('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')).toBeDefined();
    expect(resourceClassFor('rbac.evil.io/v1', 'ClusterRoleBinding')).toBeUndefined();
    expect(resourceClassFor('networking.example.com/v1', 'Ingress')).toBeUndefined();
    expect(resourceClassFor('v1', 'Pod')).toBeDefined();
  });
  test('patch kinds are refused, and list items are registered as kubectl applies them', async () => {
    const { registerApp } = jest.requireActual('../stacks/pulumi-program');
    const { ApiObject, Chart } = jest.requireActual('cdk8s');
    const { newApp } = jest.requireActual('./helpers');
    const app = newApp();
    new ApiObject(new Chart(app, 'p'), 'patch', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyPatch', metadata: { name: 'default-deny', namespace: 'team-b' }, spec: { podSelector: {} } });
    expect(() => registerApp(app)).toThrow(/NetworkPolicyPatch default-deny is a Pulumi patch resource/);
    const listApp = newApp();
    new ApiObject(new Chart(listApp, 'l'), 'list', { apiVersion: 'v1', kind: 'ConfigMapList', items: [{ metadata: { name: 'a', namespace: 'team-a' }, data: { k: 'v' } }] });
    const registered = registerApp(listApp);
    expect(registered.map((r: any) => `${r.object.kind} ${r.object.metadata.name}`)).toEqual(['ConfigMap a']);
  });

  describe('objects added outside the App (extra) get the same check', () => {
    const { registerApp } = jest.requireActual('../stacks/pulumi-program');
    const { chartWithNamespace, container } = jest.requireActual('./helpers');
    const { SecureWorkload } = jest.requireActual('../constructs');
    /** An App that synthesizes: one namespace, one workload. */
    const compliantApp = () => {
      const { chart, ns } = chartWithNamespace();
      new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
      return { app: chart.node.root };
    };
    const pulumiSdk = jest.requireActual('@pulumi/pulumi');
    const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'extra', namespace: 'team-a' }, spec });

    test('a privileged Pod is refused with its rule', () => {
      const { app } = compliantApp();
      expect(() => registerApp(app, { extra: [{ chart: 'x', object: pod({ containers: [{ name: 'c', image: 'registry.example.com/team/app@sha256:' + 'ab'.repeat(32), securityContext: { privileged: true } }] }) }] }))
        .toThrow(/registerApp extra object Pod team-a\/extra: .*\(rule pod-security\/privileged\)/);
    });

    test('an object may not take a checked object\'s identity, even inside a List', () => {
      const { app } = compliantApp();
      const ns = app.synthesizeCharts().flatMap((c: any) => c.objects.map((o: any) => o.json)).find((o: any) => o.kind === 'Namespace');
      const list = { apiVersion: 'v1', kind: 'List', items: [{ ...ns, metadata: { ...ns.metadata, labels: {} } }] };
      expect(() => registerApp(app, { extra: [{ chart: 'x', object: list }] })).toThrow(/has the API identity of an object already registered/);
    });

    test.each([
      ['a Pulumi Output', () => pulumiSdk.output(true)],
      ['a promise', () => Promise.resolve(true)],
    ])('%s outside a Secret\'s data cannot be judged and is refused', (_what, value) => {
      const { app } = compliantApp();
      const object = pod({ hostNetwork: value(), containers: [] });
      expect(() => registerApp(app, { extra: [{ chart: 'x', object }] })).toThrow(/spec\.hostNetwork is known only at deploy time/);
    });

    test('what is registered is the copy that was judged: a getter reads once', () => {
      const { app } = compliantApp();
      let reads = 0;
      const data = {};
      Object.defineProperty(data, 'mode', { enumerable: true, get: () => (reads++ === 0 ? 'judged' : 'something else') });
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'team-a' }, data };
      const registered = registerApp(app, { extra: [{ chart: 'x', object: cm }] });
      expect(registered.find((r: any) => r.object.kind === 'ConfigMap' && r.object.metadata.name === 'flags').object.data).toEqual({ mode: 'judged' });
      expect(reads).toBe(1);
    });

    test('a Secret whose value is known only at deploy time is registered', () => {
      const { app } = compliantApp();
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'team-a' }, type: 'Opaque', stringData: { token: pulumiSdk.secret('s3cret') } };
      const registered = registerApp(app, { extra: [{ chart: 'x', object: secret }] });
      const secrets = registered.filter((r: any) => r.object.kind === 'Secret');
      expect(secrets.map((r: any) => r.object.metadata.name)).toEqual(['creds']);
      expect(pulumiSdk.Output.isInstance(secrets[0].object.stringData.token)).toBe(true);
    });
  });
});
