import { AuditBackend, AuditPolicy } from '../constructs';
import { AuditRequest, auditLevelOf, AuditRule } from '../policy/rules/control-plane/audit-policy';
import { auditCoverageViolations } from '../policy/rules/control-plane/audit-policy-coverage';
import { newApp } from './helpers';

const user = (name: string, ...groups: string[]) => ({ user: name, groups: [...groups, 'system:authenticated'] });
const res = (verb: string, group: string, resource: string, namespace = 'team-a', subresource?: string, name?: string): Pick<AuditRequest, 'verb' | 'resource'> => ({ verb, resource: { group, resource, subresource, namespace, name } });

function policy(ignore: ConstructorParameters<typeof AuditPolicy>[2] = {}): AuditPolicy {
  return new AuditPolicy(newApp(), 'audit', ignore);
}

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('defaults', () => {
  const p = policy();
  const doc = p.toDocument();
  const level = (req: AuditRequest) => auditLevelOf(doc.rules, req).level;
  const alice = user('alice');

  test('matches the snapshot', () => {
    expect(doc).toMatchSnapshot();
  });

  test('3.2.2: Secrets, ConfigMaps, token requests and TokenReviews at Metadata: who and when, never the data', () => {
    for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']) {
      expect(level({ ...alice, ...res(verb, '', 'secrets') })).toBe('Metadata');
      expect(level({ ...alice, ...res(verb, '', 'configmaps') })).toBe('Metadata');
    }
    expect(level({ ...alice, ...res('create', '', 'serviceaccounts', 'team-a', 'token') })).toBe('Metadata');
    expect(level({ ...alice, ...res('create', 'authentication.k8s.io', 'tokenreviews', '') })).toBe('Metadata');
  });

  test('3.2.2: exec, attach, port-forward and proxy are always recorded, whatever the verb', () => {
    for (const sub of ['exec', 'attach', 'portforward', 'proxy']) for (const verb of ['get', 'create']) expect(level({ ...alice, ...res(verb, '', 'pods', 'team-a', sub) })).toBe('Metadata');
    expect(level({ ...user('system:node:n1', 'system:nodes'), ...res('get', '', 'nodes', '', 'proxy') })).toBe('Metadata');
    expect(level({ ...alice, ...res('get', '', 'services', 'team-a', 'proxy') })).toBe('Metadata');
  });

  test('writes to RBAC, admission policies and webhooks, CRDs, NetworkPolicies and Namespaces are recorded with their bodies', () => {
    for (const [group, resource, ns] of [['rbac.authorization.k8s.io', 'clusterrolebindings', ''], ['rbac.authorization.k8s.io', 'roles', 'team-a'], ['admissionregistration.k8s.io', 'validatingadmissionpolicies', ''],
      ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', ''], ['apiextensions.k8s.io', 'customresourcedefinitions', ''], ['networking.k8s.io', 'networkpolicies', 'team-a'], ['', 'namespaces', '']]) {
      for (const verb of ['create', 'update', 'patch', 'delete']) expect(`${verb} ${resource}: ${level({ ...alice, ...res(verb, group, resource, ns) })}`).toBe(`${verb} ${resource}: RequestResponse`);
    }
    expect(level({ ...alice, ...res('get', 'rbac.authorization.k8s.io', 'roles') })).toBe('Metadata');
  });

  test('known system noise is not recorded: kube-proxy watches, node and lease renewals, health and metrics', () => {
    expect(level({ ...user('system:kube-proxy'), ...res('watch', 'discovery.k8s.io', 'endpointslices') })).toBe('None');
    expect(level({ ...user('system:node:n1', 'system:nodes'), ...res('get', '', 'nodes', '', 'status') })).toBe('None');
    expect(level({ ...user('system:node:n1', 'system:nodes'), ...res('update', 'coordination.k8s.io', 'leases', 'kube-node-lease') })).toBe('None');
    expect(level({ ...user('system:kube-scheduler'), ...res('update', 'coordination.k8s.io', 'leases', 'kube-system') })).toBe('None');
    for (const path of ['/livez', '/readyz?verbose', '/healthz/etcd', '/metrics']) expect(level({ ...alice, verb: 'get', path })).toBe('None');
    // The same identities are recorded for anything else.
    expect(level({ ...user('system:kube-proxy'), ...res('list', '', 'secrets') })).toBe('Metadata');
    expect(level({ ...user('system:kube-scheduler'), ...res('update', 'coordination.k8s.io', 'leases', 'team-a') })).toBe('Metadata');
  });

  test('a Metadata catch-all, and no RequestReceived stage', () => {
    expect(level({ ...alice, ...res('get', 'example.com', 'widgets') })).toBe('Metadata');
    expect(level({ ...alice, verb: 'get', path: '/apis' })).toBe('Metadata');
    expect(doc.rules[doc.rules.length - 1]).toEqual({ level: 'Metadata' });
    expect(doc.omitStages).toEqual(['RequestReceived']);
  });

  test('the API-server flags load the policy and keep a rotated log (CIS 1.2.16 to 1.2.19)', () => {
    expect(p.apiServerFlags('/etc/kubernetes/bulwark')).toEqual({
      'audit-policy-file': '/etc/kubernetes/bulwark/audit-policy.yaml', 'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100',
    });
    expect(p.logDirectory).toBe('/var/log/kubernetes/audit');
  });
});

describe('ignore(): None rules for noisy controllers', () => {
  const lease = { users: ['system:serviceaccount:team-a:operator'], verbs: ['get', 'update'], namespaces: ['team-a'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }], reason: 'leader election renews its Lease every two seconds' };

  test('is placed after the security rules and before the catch-all, and its reason is written', () => {
    const p = policy({ ignore: [lease] });
    const rules = p.toDocument().rules;
    expect(rules[rules.length - 2]).toEqual({ level: 'None', users: lease.users, verbs: lease.verbs, namespaces: ['team-a'], resources: lease.resources });
    expect(auditLevelOf(rules, { ...user('system:serviceaccount:team-a:operator'), ...res('update', 'coordination.k8s.io', 'leases') }).level).toBe('None');
    expect(p.controlPlaneFiles()['audit-policy.yaml'].header).toContain('leader election renews its Lease every two seconds');
  });

  test('cannot silence Secret reads, exec or RBAC writes, even though the order would', () => {
    const secrets = thrown(() => policy({ ignore: [{ ...lease, verbs: ['get', 'list'], resources: [{ group: '', resources: ['secrets'] }] }] }));
    expect(secrets).toMatch(/^AuditPolicy "audit": ignore .*"secrets".* is refused: get secrets .*is audited at None by rules\[0\]: Secret access must be audited at Metadata, no more .*\(rule control-plane\/audit-policy-coverage\)/);
    expect(thrown(() => policy({ ignore: [{ ...lease, verbs: ['create'], resources: [{ group: '', resources: ['pods/exec'] }] }] }))).toContain('create pods/exec in namespace "team-a" by "system:serviceaccount:team-a:operator" is audited at None by rules[0]: exec, attach, port-forward and proxy must be audited at Metadata or above');
    expect(thrown(() => policy({ ignore: [{ ...lease, verbs: ['create', 'patch'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['*'] }] }] }))).toContain('RBAC changes must be audited at RequestResponse');
  });

  test('needs an identity, verbs, resources and a reason', () => {
    expect(thrown(() => policy({ ignore: [{ ...lease, users: [] }] }))).toContain('names no user or group, so it would silence everyone');
    expect(thrown(() => policy({ ignore: [{ ...lease, resources: [] }] }))).toContain('has no verbs or no resources');
    expect(thrown(() => policy({ ignore: [{ ...lease, reason: 'noisy' }] }))).toContain('ignore reason "noisy" is too short');
  });
});

describe('backends', () => {
  test('a webhook in addition to the log', () => {
    const p = policy({ backends: [AuditBackend.log(), AuditBackend.webhook({ configFile: '/etc/kubernetes/audit-webhook.kubeconfig' })] });
    expect(p.apiServerFlags('/d')).toMatchObject({ 'audit-webhook-config-file': '/etc/kubernetes/audit-webhook.kubeconfig', 'audit-webhook-mode': 'batch', 'audit-log-path': '/var/log/kubernetes/audit/audit.log' });
  });

  test('no backend at all is refused', () => {
    expect(thrown(() => policy({ backends: [] }))).toContain('(rule control-plane/apiserver-audit-log)');
  });
});

describe('the audit rule matcher follows the API server\'s', () => {
  const match = (rule: AuditRule, req: AuditRequest) => auditLevelOf([{ ...rule, level: 'Metadata' }], req).index === 0;
  const alice = user('alice');

  test('resources: "*", "*/sub", "res/*", resourceNames and groups', () => {
    expect(match({ resources: [{ group: '', resources: ['*/exec'] }] }, { ...alice, ...res('create', '', 'pods', 'ns', 'exec') })).toBe(true);
    expect(match({ resources: [{ group: '', resources: ['pods/*'] }] }, { ...alice, ...res('create', '', 'pods', 'ns', 'log') })).toBe(true);
    expect(match({ resources: [{ group: '', resources: ['pods'] }] }, { ...alice, ...res('create', '', 'pods', 'ns', 'exec') })).toBe(false);
    expect(match({ resources: [{ group: '*' }] }, { ...alice, ...res('get', 'apps', 'deployments') })).toBe(true);
    expect(match({ resources: [{ group: '', resources: ['secrets'], resourceNames: ['a'] }] }, { ...alice, ...res('get', '', 'secrets', 'ns', undefined, 'b') })).toBe(false);
    expect(match({ namespaces: ['ns'] }, { ...alice, verb: 'get', path: '/healthz' })).toBe(false);
    expect(match({ nonResourceURLs: ['/healthz*'] }, { ...alice, ...res('get', '', 'pods') })).toBe(false);
    expect(match({ userGroups: ['system:nodes'] }, { ...alice, ...res('get', '', 'pods') })).toBe(false);
  });

  test('no matching rule means None, which the coverage rule reports', () => {
    expect(auditLevelOf([], { ...alice, ...res('get', '', 'secrets') })).toEqual({ level: 'None', index: -1 });
    expect(auditCoverageViolations([]).map((v) => v.reason)).toContain('Secret access audited at None');
  });
});
