/**
 * ClusterBlueprint, PlatformStack and TeamStack: a cluster as one typed object, teams as
 * boundaries that RBAC and the network both respect unless both teams declare a connection.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Port, SecureWorkload } from '../constructs';
import { KubeObject } from '../policy';
import '../policy/testing';
import { ClusterBlueprint, ClusterBlueprintProps, TeamStack } from '../stacks/blueprint';
import { container } from './helpers';

function blueprint(extra: Partial<ClusterBlueprintProps> = {}): ClusterBlueprint {
  return new ClusterBlueprint({
    name: 'test', kubernetesVersion: '1.36', environment: 'production', trustedRegistries: ['registry.example.com'],
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-blueprint-')), ...extra,
  });
}

function objects(bp: ClusterBlueprint): KubeObject[] {
  return bp.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
}

function twoTeams(shop: Partial<ConstructorParameters<typeof TeamStack>[2]> = {}, payments: Partial<ConstructorParameters<typeof TeamStack>[2]> = {}) {
  const bp = blueprint();
  const shopTeam = bp.addTeam('shop', { namespaces: ['shop-web'], group: 'oidc:shop', ...shop });
  const payTeam = bp.addTeam('payments', { namespaces: ['payments'], group: 'oidc:payments', ...payments });
  const web = new SecureWorkload(shopTeam, 'web', { namespace: shopTeam.ns('shop-web'), containers: [container({ ports: [Port.tcp(8080)] })] });
  const pay = new SecureWorkload(payTeam, 'api', { namespace: payTeam.ns('payments'), containers: [container({ ports: [Port.tcp(8443)] })] });
  return { bp, web, pay };
}

test('a blueprint states version, profile and registries, and every team inherits them', () => {
  expect(() => new ClusterBlueprint({ name: 'x', kubernetesVersion: '1.36', environment: 'production', trustedRegistries: [] }))
    .toThrow('ClusterBlueprint "x": trustedRegistries [] is empty (rule images/trusted-registry).');
  expect(() => new ClusterBlueprint({ name: 'x', kubernetesVersion: '1.30', environment: 'production', trustedRegistries: ['r.example.com'] })).toThrow(/past end of life/);
  const bp = blueprint({ labels: { 'example.com/cluster': 'test' } });
  const team = bp.addTeam('shop', { namespaces: ['shop-web'], group: 'oidc:shop' });
  expect([team.kubernetesVersion, team.environment, team.trustedRegistries]).toEqual(['1.36', 'production', ['registry.example.com']]);
  for (const o of objects(bp)) expect(o.metadata?.labels?.['example.com/cluster']).toBe('test');
  expect(new ClusterBlueprint({ name: 'prod-eu', kubernetesVersion: '1.36', environment: 'production', trustedRegistries: ['r.example.com'] }).outdir).toBe('dist/prod-eu');
});

test('a team gets its namespaces, a read-only role for its people, and a GitOps deployer per namespace, all in its own namespaces', () => {
  const bp = blueprint();
  bp.addTeam('shop', { namespaces: ['shop-web', 'shop-data'], group: 'oidc:shop' });
  const all = objects(bp);
  const ns = all.filter((o) => o.kind === 'Namespace' && o.metadata?.labels?.['bulwark.dev/team'] === 'shop').map((o) => o.metadata!.name);
  expect(ns).toEqual(['shop-web', 'shop-data']);
  const bindings = all.filter((o) => o.kind === 'RoleBinding' && ns.includes(o.metadata!.namespace!));
  expect(bindings.map((b) => `${b.metadata!.namespace} ${b.roleRef.name} ${b.subjects.map((s: any) => `${s.kind}:${s.name}`).join(',')}`).sort()).toEqual([
    'shop-data gitops-deployer ServiceAccount:gitops-deployer',
    'shop-data shop-readers Group:oidc:shop',
    'shop-web gitops-deployer ServiceAccount:gitops-deployer',
    'shop-web shop-readers Group:oidc:shop',
  ]);
  // Nothing cluster-wide is granted to a team, and readers never see Secrets.
  expect(all.filter((o) => o.kind === 'ClusterRoleBinding' && JSON.stringify(o.subjects).includes('shop'))).toEqual([]);
  const readers = all.find((o) => o.kind === 'Role' && o.metadata?.name === 'shop-readers')!;
  expect(JSON.stringify(readers.rules)).not.toContain('secrets');
  expect(all).toHaveNoFindings({ trustedRegistries: ['registry.example.com'] });
});

test.each([
  ['neither side declares it', {}, {}],
  ['only the receiving team accepts', {}, { acceptsFrom: ['shop'] }],
  ['only the sending team declares it', { connectsTo: ['payments'] }, {}],
])('a connection across teams fails synth when %s', (_what, shop, payments) => {
  const { bp, web, pay } = twoTeams(shop, payments);
  pay.allowFrom(web, Port.tcp(8443));
  expect(() => bp.synthesizeCharts()).toThrow(/\[network\/cross-team-traffic\] undeclared cross-team traffic/);
});

test('a connection across teams synthesizes when both teams declare it', () => {
  const { bp, web, pay } = twoTeams({ connectsTo: ['payments'] }, { acceptsFrom: ['shop'] });
  pay.allowFrom(web, Port.tcp(8443));
  const all = objects(bp);
  expect(all.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'payments')!.metadata!.annotations!['bulwark.dev/accepts-from']).toBe('shop');
  expect(all).toHaveNoFindings({ trustedRegistries: ['registry.example.com'] });
});

test('a raw NetworkPolicy in one team cannot open another team\'s namespaces either', () => {
  const { bp } = twoTeams();
  const { ApiObject } = jest.requireActual('cdk8s');
  new ApiObject(bp.teams[1], 'open', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-shop', namespace: 'payments' },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'bulwark.dev/team': 'shop' } }, podSelector: {} }] }] },
  });
  expect(() => bp.synthesizeCharts()).toThrow(/NetworkPolicy payments\/from-shop[\s\S]*\[network\/cross-team-traffic\]/);
});

test('the platform holds the guardrails and dedicated pools; a team is refused a catch-all group', () => {
  const bp = blueprint();
  const pay = bp.addTeam('payments', { namespaces: ['payments'], group: 'oidc:payments' });
  bp.platform.addDedicatedPool('payments-pool', { allowedNamespaces: [pay.ns('payments')] });
  const all = objects(bp);
  expect(all.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length).toBeGreaterThan(5);
  expect(all.some((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] === 'payments-pool')).toBe(true);
  expect(() => bp.addTeam('x', { namespaces: ['x'], group: 'system:authenticated' })).toThrow(/group "system:authenticated" is not a group of your identity provider \(rule rbac\/no-catch-all-subjects\)/);
  expect(() => bp.addTeam('payments', { namespaces: ['payments-2'], group: 'oidc:p' })).toThrow(/addTeam "payments" is added twice|There is already a Construct with name 'payments'/);
});

test('a team writes only into its own namespaces; charts belong to the platform or a team', () => {
  const { bp } = twoTeams();
  const { ApiObject, Chart } = jest.requireActual('cdk8s');
  // The shop team binding its own ServiceAccount into the payments namespace, and a policy there.
  new ApiObject(bp.teams[0], 'sneaky-binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'x', namespace: 'payments' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gitops-deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop-web' }],
  });
  new ApiObject(bp.teams[0], 'cluster-thing', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'shop-reader' }, rules: [] });
  new ApiObject(new Chart(bp, 'stray'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'payments' } });
  let err = '';
  try { bp.synthesizeCharts(); } catch (e) { err = (e as Error).message; }
  expect(err).toContain('RoleBinding payments/x (construct shop/sneaky-binding) is outside team "shop"\'s namespaces (shop-web)');
  expect(err).toContain('ClusterRole shop-reader (construct shop/cluster-thing) is cluster-scoped or names no namespace, but team "shop" may only write into its namespaces (shop-web)');
  expect(err).toContain('chart "stray" belongs to neither the platform nor a team of ClusterBlueprint "test"');
});
