import * as kplus from 'cdk8s-plus-27';
import * as yaml from 'yaml';
import { LeastPrivilegeRole, RoleSubject, SecureWorkload, Waiver } from '../constructs';
import { TOKEN_MOUNT_PATH } from '../constructs/secure-workload';
import '../policy/testing';
import { byKind, chartWithNamespace, container, NOW, synth } from './helpers';

function role(props: Partial<ConstructorParameters<typeof LeastPrivilegeRole>[2]> = {}) {
  const { chart, ns } = chartWithNamespace();
  return { chart, ns, role: new LeastPrivilegeRole(chart, 'reader', { namespace: ns, ...props }) };
}

describe('defaults', () => {
  const { chart, ns, role: r } = role();
  const cm = new kplus.ConfigMap(chart, 'cfg', { metadata: { name: 'app-config', namespace: ns.name }, data: { a: 'b' } });
  const g1 = r.grantRead(cm);
  const g2 = r.allow({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['leader'] });
  const binding = r.bind('team', RoleSubject.group('team-a-developers'), RoleSubject.serviceAccount('api', ns.name));
  const objects = synth(chart);

  test('synthesizes the same manifests as the snapshot', () => {
    expect(yaml.stringify(objects.filter((o) => o.kind.startsWith('Role')))).toMatchSnapshot();
  });

  test('is a namespaced Role with exactly the grants, and intent methods return them', () => {
    const out = byKind(objects, 'Role', 'reader');
    expect(out.metadata!.namespace).toBe('team-a');
    expect(out.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['app-config'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'], resourceNames: ['leader'] },
    ]);
    expect(g1.resourceNames).toEqual(['app-config']);
    expect(g2.verbs).toEqual(['get', 'update']);
  });

  test('binds groups, users and service accounts and returns the binding', () => {
    expect(binding.kind).toBe('RoleBinding');
    expect(byKind(objects, 'RoleBinding').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'team-a-developers' },
      { kind: 'ServiceAccount', name: 'api', namespace: 'team-a' },
    ]);
  });

  test('has no findings', () => {
    expect(objects).toHaveNoFindings({ now: NOW });
  });
});

describe('fails when', () => {
  test.each([
    ['a wildcard verb', { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }, 'rbac/no-wildcards'],
    ['a wildcard resource', { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }, 'rbac/no-wildcards'],
    ['a wildcard group', { apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }, 'rbac/no-wildcards'],
    ['escalate', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }, 'rbac/no-escalation-verbs'],
    ['bind', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }, 'rbac/no-escalation-verbs'],
    ['impersonate', { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }, 'rbac/no-escalation-verbs'],
    ['pods/exec', { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, 'rbac/no-exec-attach'],
    ['pods/attach', { apiGroups: [''], resources: ['pods/attach'], verbs: ['create'] }, 'rbac/no-exec-attach'],
    ['pods/portforward', { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }, 'rbac/no-exec-attach'],
    ['nodes/proxy', { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }, 'rbac/no-exec-attach'],
    ['list secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, 'rbac/secrets-by-name'],
    ['watch secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['watch'] }, 'rbac/secrets-by-name'],
    ['get any secret', { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, 'rbac/secrets-by-name'],
    ['mutating webhooks', { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['create'] }, 'rbac/no-sensitive-apis'],
    ['CSR approval', { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }, 'rbac/no-sensitive-apis'],
    ['token minting', { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }, 'rbac/no-sensitive-apis'],
  ])('a grant asks for %s', (_what, grant, ruleId) => {
    const { role: r } = role();
    expect(() => r.allow(grant)).toThrow(`LeastPrivilegeRole "reader": allow ${JSON.stringify(grant)} is refused: `);
    expect(() => r.allow(grant)).toThrow(`(rule ${ruleId}). `);
    expect(() => r.allow(grant)).toThrow(`Or add a Waiver of ${ruleId} with the reason.`);
  });

  test('the group is system:masters', () => {
    const { role: r } = role();
    r.allow({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] });
    expect(() => r.bind('admins', RoleSubject.group('system:masters'))).toThrow('LeastPrivilegeRole "reader": bind "Group system:masters" is refused: RoleBinding "reader-admins" binds the group system:masters (rule rbac/no-privileged-bindings). Bind a LeastPrivilegeRole');
  });

  test('a workload role in one namespace is bound to a service account of another', () => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'deployer', { namespace: ns });
    r.allow({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] });
    expect(() => r.bind('ci', RoleSubject.serviceAccount('ci', 'team-b'))).toThrow(/\(rule rbac\/no-cross-namespace-workloads\)/);
    expect(r.bind('own', RoleSubject.serviceAccount('ci', 'team-a')).kind).toBe('RoleBinding');
  });

  test('a ClusterRole is asked for without a real reason', () => {
    const { chart } = chartWithNamespace();
    expect(() => new LeastPrivilegeRole(chart, 'c', { clusterRole: { reason: 'needed' } }))
      .toThrow('LeastPrivilegeRole "c": clusterRole.reason "needed" is too short to justify cluster-wide scope (rule rbac/no-wildcards). Say in at least 20 characters why a namespaced Role cannot do, or drop clusterRole.');
  });

  test('a namespaced Role has no namespace', () => {
    const { chart } = chartWithNamespace();
    expect(() => new LeastPrivilegeRole(chart, 'r')).toThrow(/namespace \(unset\) is required for a namespaced Role/);
  });

  test('a grant is empty', () => {
    const { role: r } = role();
    expect(() => r.allow({ apiGroups: [''], resources: [], verbs: ['get'] })).toThrow(/allow resources \[\] is empty/);
  });
});

test('can be a ClusterRole when asked for by name, with the reason recorded', () => {
  const { chart } = chartWithNamespace();
  const r = new LeastPrivilegeRole(chart, 'node-reader', { clusterRole: { reason: 'the metrics agent lists nodes cluster-wide' } });
  r.allow({ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] });
  r.bind('agent', RoleSubject.serviceAccount('agent', 'team-a'));
  const objects = synth(chart);
  expect(byKind(objects, 'ClusterRole').metadata!.annotations!['bulwark.dev/cluster-scope-reason']).toBe('the metrics agent lists nodes cluster-wide');
  expect(byKind(objects, 'ClusterRoleBinding').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' });
});

test('a waiver admits a refused grant and is written into the output', () => {
  const { chart, ns } = chartWithNamespace();
  const r = new LeastPrivilegeRole(chart, 'sync', {
    namespace: ns, waivers: [Waiver.of('rbac/secrets-by-name', { reason: 'the secret syncer must list secrets it mirrors', owner: 'platform', expires: '2027-06-30' })],
  });
  r.allow({ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] });
  const out = byKind(synth(chart), 'Role');
  expect(out.metadata!.annotations!['bulwark.dev/waivers']).toContain('rbac/secrets-by-name');
  expect(chart.findings().filter((f) => f.waiver).map((f) => f.ruleId)).toEqual(['rbac/secrets-by-name', 'rbac/secrets-by-name']);
});

describe('SecureWorkload grants', () => {
  test('a workload without grants has no Role and no token', () => {
    const { chart, ns } = chartWithNamespace();
    new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    const objects = synth(chart);
    expect(objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding')).toEqual([]);
    const pod = byKind(objects, 'Deployment').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.some((v: any) => v.projected)).toBe(false);
  });

  test('a workload with grants gets its own Role, binding, and a projected short-lived audience-bound token', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container(), container({ name: 'sidecar' })], initContainers: [container({ name: 'init', liveness: undefined, readiness: undefined })] });
    const cm = new kplus.ConfigMap(chart, 'cfg', { metadata: { name: 'api-config', namespace: ns.name } });
    w.grantRead(cm);
    const objects = synth(chart);
    expect(byKind(objects, 'Role', 'api').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-config'] }]);
    expect(byKind(objects, 'RoleBinding', 'api-workload').subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'team-a' }]);
    const pod = byKind(objects, 'Deployment').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    const token = pod.volumes.find((v: any) => v.name === 'api-token').projected.sources[0].serviceAccountToken;
    expect(token).toEqual({ path: 'token', expirationSeconds: 3600, audience: 'https://kubernetes.default.svc.cluster.local' });
    for (const c of pod.containers) expect(c.volumeMounts).toContainEqual({ name: 'api-token', mountPath: TOKEN_MOUNT_PATH, readOnly: true });
    expect(pod.initContainers[0].volumeMounts.some((m: any) => m.name === 'api-token')).toBe(false);
    expect(objects).toPassPodSecurity('restricted', '1.36');
    expect(objects).toHaveNoFindings({ now: NOW });
  });

  test('a workload grant is refused like any other', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    expect(() => w.grant({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] })).toThrow(/\(rule rbac\/no-exec-attach\)/);
  });
});
