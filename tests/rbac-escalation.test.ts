/**
 * Every privilege-escalation path of the Kubernetes "RBAC Good Practices" page, and the built-in
 * role, aggregation and catch-all-subject holes next to them, pinned in every spelling the
 * authorizer accepts (wildcards included): each test fails if its hole reopens.
 */
import { ApiObject } from 'cdk8s';
import { LeastPrivilegeRole, RoleSubject, Waiver } from '../constructs';
import { CATALOG, evaluate, KubeObject } from '../policy';
import { selectsBuiltinRoles } from '../policy/rules/rbac/no-aggregation-to-builtin';
import { chartWithNamespace, NOW, synth, synthError } from './helpers';

const RBAC = 'rbac.authorization.k8s.io/v1';

function role(rules: unknown[], kind: 'Role' | 'ClusterRole' = 'Role'): KubeObject {
  return { apiVersion: RBAC, kind, metadata: { name: 'r', ...(kind === 'Role' ? { namespace: 'team-a' } : {}) }, rules };
}

function binding(roleRef: { kind: string; name: string }, subjects: unknown[], kind: 'RoleBinding' | 'ClusterRoleBinding' = 'RoleBinding'): KubeObject {
  return {
    apiVersion: RBAC, kind, metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'team-a' } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
  };
}

const SA = { kind: 'ServiceAccount', name: 'api', namespace: 'team-a' };

/** The distinct rule ids that fire on the object, sorted. */
function ids(o: KubeObject, context: KubeObject[] = []): string[] {
  return [...new Set(evaluate([o], { now: NOW, context }).map((f) => f.ruleId))].sort();
}

function findings(o: KubeObject, ruleId: string) {
  return evaluate([o], { now: NOW }).filter((f) => f.ruleId === ruleId);
}

test('every new rule is in the catalog and checked by LeastPrivilegeRole (every rbac/ rule is)', () => {
  const rbac = CATALOG.filter((r) => r.id.startsWith('rbac/')).map((r) => r.id);
  for (const id of ['rbac/no-system-role-bindings', 'rbac/no-aggregation-to-builtin', 'rbac/no-catch-all-subjects',
    'rbac/no-namespace-node-mutation', 'rbac/no-admission-policy-changes', 'rbac/no-secret-creation']) {
    expect(rbac).toContain(id);
  }
});

describe('bindings to built-in system: roles', () => {
  test.each([
    ['ClusterRole', 'system:node', 'RoleBinding'],
    ['ClusterRole', 'system:node', 'ClusterRoleBinding'],
    ['ClusterRole', 'system:kube-controller-manager', 'ClusterRoleBinding'],
    ['ClusterRole', 'system:kube-scheduler', 'RoleBinding'],
    ['ClusterRole', 'system:controller:clusterrole-aggregation-controller', 'ClusterRoleBinding'],
    ['ClusterRole', 'system:controller:namespace-controller', 'RoleBinding'],
    ['ClusterRole', 'system:node-proxier', 'ClusterRoleBinding'],
    ['ClusterRole', 'system:kubelet-api-admin', 'ClusterRoleBinding'],
    ['Role', 'system::leader-locking-kube-scheduler', 'RoleBinding'],
  ] as const)('%s %s through a %s is refused, and by that rule alone', (kind, name, bindingKind) => {
    const b = binding({ kind, name }, [SA], bindingKind);
    expect(ids(b)).toEqual(['rbac/no-system-role-bindings']);
    expect(findings(b, 'rbac/no-system-role-bindings')[0]).toMatchObject({ path: 'roleRef', severity: 'critical' });
  });

  test.each(['system:basic-user', 'system:discovery', 'system:public-info-viewer'])('the discovery role %s, held by every authenticated user already, is exempt', (name) => {
    expect(ids(binding({ kind: 'ClusterRole', name }, [SA]))).toEqual([]);
  });

  test('the exemption is for the built-in ClusterRoles only, and never for who they are bound to', () => {
    expect(ids(binding({ kind: 'Role', name: 'system:discovery' }, [SA]))).toEqual(['rbac/no-system-role-bindings']);
    expect(ids(binding({ kind: 'ClusterRole', name: 'system:public-info-viewer' }, [{ kind: 'Group', name: 'system:unauthenticated' }]))).toEqual(['rbac/no-catch-all-subjects']);
  });

  test('only the reserved prefix itself counts', () => {
    expect(ids(binding({ kind: 'ClusterRole', name: 'systemd-reader' }, [SA]))).toEqual([]);
  });

  test('LeastPrivilegeRole cannot express one: its bindings refer to its own role, whose name cannot contain ":"', () => {
    const { chart, ns } = chartWithNamespace();
    expect(() => new LeastPrivilegeRole(chart, 'n', { namespace: ns, name: 'system:node' })).toThrow(/name "system:node" is not a valid Kubernetes name/);
  });

  test('a raw binding added to a chart fails synth', () => {
    const { chart } = chartWithNamespace();
    new ApiObject(chart, 'raw', binding({ kind: 'ClusterRole', name: 'system:node' }, [SA], 'ClusterRoleBinding'));
    expect(synthError(chart)).toContain('[rbac/no-system-role-bindings]');
  });
});

describe('aggregation into, and out of, the built-in roles', () => {
  const clusterRole = (extra: Record<string, unknown>): KubeObject => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'c' }, ...extra });
  const labelled = (labels: Record<string, string>) => clusterRole({ metadata: { name: 'c', labels }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] });
  const aggregating = (...clusterRoleSelectors: unknown[]) => clusterRole({ aggregationRule: { clusterRoleSelectors } });

  test.each(['admin', 'edit', 'view'])('a ClusterRole labelled aggregate-to-%s widens that built-in role and is refused', (r) => {
    const o = labelled({ [`rbac.authorization.k8s.io/aggregate-to-${r}`]: 'true' });
    expect(ids(o)).toEqual(['rbac/no-aggregation-to-builtin']);
    expect(findings(o, 'rbac/no-aggregation-to-builtin').map((f) => f.path)).toEqual([`metadata.labels["rbac.authorization.k8s.io/aggregate-to-${r}"]`]);
  });

  test('the same label on a namespaced Role is not aggregated by anything and is not flagged', () => {
    expect(ids({ ...role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }]), metadata: { name: 'r', namespace: 'team-a', labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } } })).toEqual([]);
  });

  test.each([
    ['matchLabels aggregate-to-admin', { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }],
    ['matchLabels on the bootstrapping label of every built-in role', { matchLabels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }],
    ['an empty selector', {}],
    ['a null selector', null],
    ['In on aggregate-to-edit', { matchExpressions: [{ key: 'rbac.authorization.k8s.io/aggregate-to-edit', operator: 'In', values: ['true'] }] }],
    ['Exists on aggregate-to-view', { matchExpressions: [{ key: 'rbac.authorization.k8s.io/aggregate-to-view', operator: 'Exists' }] }],
    ['NotIn alone', { matchExpressions: [{ key: 'rbac.example.com/team', operator: 'NotIn', values: ['b'] }] }],
    ['DoesNotExist alone', { matchExpressions: [{ key: 'rbac.example.com/aggregate-to-monitoring', operator: 'DoesNotExist' }] }],
    ['a reserved label and an exclusion', { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, matchExpressions: [{ key: 'rbac.example.com/x', operator: 'DoesNotExist' }] }],
  ])('a selector with %s selects built-in roles and is refused', (_what, selector) => {
    const o = aggregating(selector);
    expect(ids(o)).toEqual(['rbac/no-aggregation-to-builtin']);
    expect(findings(o, 'rbac/no-aggregation-to-builtin').map((f) => f.path)).toEqual(['aggregationRule.clusterRoleSelectors[0]']);
  });

  test.each([
    ['matchLabels on a label of your own', { matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }],
    ['Exists on a label of your own', { matchExpressions: [{ key: 'rbac.example.com/aggregate-to-monitoring', operator: 'Exists' }] }],
    ['a label of your own and a reserved one (ANDed: built-in roles lack yours)', { matchLabels: { 'rbac.example.com/m': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }],
  ])('a selector with %s is allowed', (_what, selector) => {
    expect(selectsBuiltinRoles(selector)).toBeUndefined();
    expect(ids(aggregating(selector))).toEqual([]);
  });

  test('every selector is checked, not only the first', () => {
    const o = aggregating({ matchLabels: { 'rbac.example.com/m': 'true' } }, {});
    expect(findings(o, 'rbac/no-aggregation-to-builtin').map((f) => f.path)).toEqual(['aggregationRule.clusterRoleSelectors[1]']);
  });

  test('a raw aggregating ClusterRole added to a chart fails synth (LeastPrivilegeRole has no labels or aggregationRule to set)', () => {
    const { chart } = chartWithNamespace();
    new ApiObject(chart, 'raw', aggregating({ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }));
    expect(synthError(chart)).toContain('[rbac/no-aggregation-to-builtin]');
  });
});

describe('catch-all subjects', () => {
  const harmless = role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['app-config'] }]);
  const bound = (subject: unknown, kind: 'RoleBinding' | 'ClusterRoleBinding' = 'RoleBinding') => binding({ kind: 'Role', name: 'r' }, [SA, subject], kind);

  test.each([
    ['Group', 'system:unauthenticated'], ['User', 'system:anonymous'], ['Group', 'system:authenticated'], ['Group', 'system:serviceaccounts'],
    ['User', 'system:unauthenticated'], ['Group', 'system:anonymous'],
  ])('%s %s is refused, even bound to a harmless role', (kind, name) => {
    const b = bound({ kind, apiGroup: 'rbac.authorization.k8s.io', name });
    expect(ids(b, [harmless])).toEqual(['rbac/no-catch-all-subjects']);
    expect(findings(b, 'rbac/no-catch-all-subjects').map((f) => f.path)).toEqual(['subjects[1]']);
  });

  test('a ClusterRoleBinding is checked the same way', () => {
    expect(ids(binding({ kind: 'ClusterRole', name: 'reader' }, [{ kind: 'Group', name: 'system:authenticated' }], 'ClusterRoleBinding'))).toEqual(['rbac/no-catch-all-subjects']);
  });

  test.each([
    ['the service accounts of one namespace', { kind: 'Group', name: 'system:serviceaccounts:team-a' }],
    ['a group of the identity provider', { kind: 'Group', name: 'team-a-developers' }],
    ['one service account', SA],
  ])('%s is allowed', (_what, subject) => {
    expect(ids(bound(subject), [harmless])).toEqual([]);
  });

  test.each([
    ['Group', 'system:authenticated', RoleSubject.group('system:authenticated')],
    ['Group', 'system:unauthenticated', RoleSubject.group('system:unauthenticated')],
    ['User', 'system:anonymous', RoleSubject.user('system:anonymous')],
    ['Group', 'system:serviceaccounts', RoleSubject.group('system:serviceaccounts')],
  ])('LeastPrivilegeRole.bind refuses %s %s at once', (kind, name, subject) => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'reader', { namespace: ns });
    r.allow({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['app-config'] });
    expect(() => r.bind('everyone', RoleSubject.serviceAccount('api', ns.name), subject))
      .toThrow(`LeastPrivilegeRole "reader": bind "ServiceAccount team-a/api, ${kind} ${name}" is refused: RoleBinding "reader-everyone" binds ${kind} ${name}: `);
  });
});

describe('namespace and node mutation', () => {
  test.each([
    ['patch on namespaces', [''], ['namespaces'], ['patch'], 'Role'],
    ['update on namespaces', [''], ['namespaces'], ['update'], 'Role'],
    ['patch on namespaces/status', [''], ['namespaces/status'], ['patch'], 'ClusterRole'],
    ['update on namespaces/finalize', [''], ['namespaces/finalize'], ['update'], 'ClusterRole'],
    ['patch on nodes', [''], ['nodes'], ['patch'], 'ClusterRole'],
    ['update on nodes', [''], ['nodes'], ['update'], 'ClusterRole'],
    ['patch on nodes/status', [''], ['nodes/status'], ['patch'], 'ClusterRole'],
  ] as const)('%s is refused, and by that rule alone', (_what, apiGroups, resources, verbs, kind) => {
    expect(ids(role([{ apiGroups, resources, verbs }], kind))).toEqual(['rbac/no-namespace-node-mutation']);
  });

  test.each([
    ['verbs "*" on nodes', [''], ['nodes'], ['*'], ['rbac/no-namespace-node-mutation', 'rbac/no-sensitive-apis', 'rbac/no-wildcards']],
    ['resources "*" with patch (which also reaches nodes/proxy and pods/status)', [''], ['*'], ['patch'], ['rbac/no-exec-attach', 'rbac/no-namespace-node-mutation', 'rbac/no-traffic-redirection', 'rbac/no-wildcards']],
    ['"*/status" with patch (which also reaches pods/status)', [''], ['*/status'], ['patch'], ['rbac/no-namespace-node-mutation', 'rbac/no-traffic-redirection', 'rbac/no-wildcards']],
    ['apiGroups "*" with update on namespaces', ['*'], ['namespaces'], ['update'], ['rbac/no-namespace-node-mutation', 'rbac/no-wildcards']],
  ])('the wildcard spelling %s is refused by this rule, not only by no-wildcards', (_what, apiGroups, resources, verbs, expected) => {
    expect(ids(role([{ apiGroups, resources, verbs }], 'ClusterRole'))).toEqual(expected);
  });

  test.each([
    ['reading namespaces and nodes', [''], ['namespaces', 'nodes'], ['get', 'list', 'watch']],
    ['namespaces in another API group', ['example.com'], ['namespaces'], ['patch']],
  ])('%s is allowed', (_what, apiGroups, resources, verbs) => {
    expect(ids(role([{ apiGroups, resources, verbs }], 'ClusterRole'))).toEqual([]);
  });

  test('resourceNames do not help: patching one namespace is relabelling it', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['namespaces'], verbs: ['patch'], resourceNames: ['team-a'] }]))).toEqual(['rbac/no-namespace-node-mutation']);
  });

  test('LeastPrivilegeRole.allow refuses at once, and a waiver of no-wildcards does not hide it behind "*"', () => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'ns-editor', { namespace: ns });
    const grant = { apiGroups: [''], resources: ['namespaces'], verbs: ['patch'] };
    expect(() => r.allow(grant)).toThrow(new RegExp(`^LeastPrivilegeRole "ns-editor": allow ${JSON.stringify(grant).replace(/[[\]{}()*+?.\\^$|]/g, '\\$&')} is refused: Role "ns-editor" rules\\[0\\] grants .* \\(rule rbac/no-namespace-node-mutation\\)\\.`));
    const c = new LeastPrivilegeRole(chart, 'nodes', {
      clusterRole: { reason: 'the node labeller must update every node' },
      waivers: [Waiver.of('rbac/no-wildcards', { reason: 'the agent reads every resource of the core group' })],
    });
    expect(() => c.allow({ apiGroups: [''], resources: ['*/status'], verbs: ['update'] })).toThrow(/\(rule rbac\/no-namespace-node-mutation\)/);
    expect(() => c.allow({ apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] })).toThrow(/\(rule rbac\/no-namespace-node-mutation\)/);
  });
});

describe('admission guardrails', () => {
  const POLICIES = ['validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'];
  const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

  test.each(POLICIES.flatMap((res) => WRITES.map((verb) => [verb, res])))('%s on %s is refused, and by that rule alone', (verb, res) => {
    expect(ids(role([{ apiGroups: ['admissionregistration.k8s.io'], resources: [res], verbs: [verb] }], 'ClusterRole'))).toEqual(['rbac/no-admission-policy-changes']);
  });

  test.each(POLICIES)('reading %s is allowed', (res) => {
    expect(ids(role([{ apiGroups: ['admissionregistration.k8s.io'], resources: [res], verbs: ['get', 'list', 'watch'] }], 'ClusterRole'))).toEqual([]);
  });

  test.each([
    ['verbs "*"', ['admissionregistration.k8s.io'], ['validatingadmissionpolicybindings'], ['*'], ['rbac/no-admission-policy-changes', 'rbac/no-wildcards']],
    ['resources "*"', ['admissionregistration.k8s.io'], ['*'], ['delete'], ['rbac/no-admission-policy-changes', 'rbac/no-sensitive-apis', 'rbac/no-wildcards']],
    ['apiGroups "*"', ['*'], ['mutatingadmissionpolicies'], ['create'], ['rbac/no-admission-policy-changes', 'rbac/no-wildcards']],
  ])('the wildcard spelling %s is refused by this rule', (_what, apiGroups, resources, verbs, expected) => {
    expect(ids(role([{ apiGroups, resources, verbs }], 'ClusterRole'))).toEqual(expected);
  });

  test.each(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].flatMap((res) => WRITES.map((verb) => [verb, res])))('%s on %s stays refused by no-sensitive-apis', (verb, res) => {
    expect(ids(role([{ apiGroups: ['admissionregistration.k8s.io'], resources: [res], verbs: [verb] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis']);
  });

  test('LeastPrivilegeRole.allow refuses policy and webhook writes at once', () => {
    const { chart } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'policy', { clusterRole: { reason: 'admission policies are cluster-scoped objects' } });
    expect(() => r.allow({ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingadmissionpolicybindings'], verbs: ['delete'] })).toThrow(/is refused: (Cluster)?Role "\S+" rules\[0\] grants .*\(rule rbac\/no-admission-policy-changes\)/);
    expect(() => r.allow({ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['deletecollection'] })).toThrow(/\(rule rbac\/no-sensitive-apis\)/);
    expect(r.allow({ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingadmissionpolicies'], verbs: ['get', 'list', 'watch'] }).verbs).toEqual(['get', 'list', 'watch']);
  });
});

describe('credentials: secrets, tokens and certificates', () => {
  test.each([
    ['create on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['create'] }, ['rbac/no-secret-creation']],
    ['create on secrets with resourceNames (which cannot narrow create)', { apiGroups: [''], resources: ['secrets'], verbs: ['create'], resourceNames: ['api-tls'] }, ['rbac/no-secret-creation']],
    ['verbs "*" on secrets', { apiGroups: [''], resources: ['secrets'], verbs: ['*'] }, ['rbac/no-secret-creation', 'rbac/no-wildcards', 'rbac/secrets-by-name']],
    ['resources "*" with create (which also reaches pods/exec and endpoints)', { apiGroups: [''], resources: ['*'], verbs: ['create'] }, ['rbac/no-exec-attach', 'rbac/no-secret-creation', 'rbac/no-sensitive-apis', 'rbac/no-traffic-redirection', 'rbac/no-wildcards']],
    ['apiGroups "*" with create on secrets', { apiGroups: ['*'], resources: ['secrets'], verbs: ['create'] }, ['rbac/no-secret-creation', 'rbac/no-wildcards']],
  ])('%s is refused', (_what, rule, expected) => {
    expect(ids(role([rule]))).toEqual(expected);
  });

  test('create on serviceaccounts/token, also as "*/token", stays refused', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]))).toEqual(['rbac/no-sensitive-apis']);
    expect(ids(role([{ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }]))).toEqual(['rbac/no-sensitive-apis', 'rbac/no-wildcards']);
  });

  test('CSR approval is refused on its own, so create + approval is too, in every spelling', () => {
    const csr = { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] };
    expect(ids(role([csr], 'ClusterRole'))).toEqual([]);
    expect(ids(role([csr, { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis']);
    expect(ids(role([csr, { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/kube-apiserver-client'] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis']);
    expect(ids(role([csr, { apiGroups: ['certificates.k8s.io'], resources: ['*/approval'], verbs: ['patch'] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis', 'rbac/no-wildcards']);
  });

  test('PersistentVolume creation stays refused, also through verbs "*"', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis']);
    expect(ids(role([{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['*'] }], 'ClusterRole'))).toEqual(['rbac/no-sensitive-apis', 'rbac/no-wildcards']);
  });

  test('LeastPrivilegeRole.allow refuses secret creation at once; a waiver of that rule admits it and is written out', () => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'writer', { namespace: ns });
    const grant = { apiGroups: [''], resources: ['secrets'], verbs: ['create'] };
    expect(() => r.allow(grant)).toThrow(new RegExp(`^LeastPrivilegeRole "writer": allow ${JSON.stringify(grant).replace(/[[\]{}()*+?.\\^$|]/g, '\\$&')} is refused: .* \\(rule rbac/no-secret-creation\\)\\.`));
    const syncer = new LeastPrivilegeRole(chart, 'syncer', {
      namespace: ns, waivers: [Waiver.of('rbac/no-secret-creation', { reason: 'the certificate operator writes TLS secrets it issues', owner: 'platform', expires: '2027-06-30' })],
    });
    syncer.allow(grant);
    const out = synth(chart).find((o) => o.kind === 'Role' && o.metadata?.name === 'syncer')!;
    expect(out.rules).toEqual([grant]);
    expect(out.metadata!.annotations!['bulwark.dev/waivers']).toContain('rbac/no-secret-creation');
  });
});
