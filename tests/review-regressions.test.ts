/**
 * Holes a security review found, each pinned by a test: every one of these used to get an insecure
 * object past synth, widen a grant, or crash instead of naming the bad prop.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { LeastPrivilegeRole, Port, SecureWorkload, Waiver } from '../constructs';
import { evaluate } from '../policy';
import { parseExpiry } from '../policy/waivers';
import { chartWithNamespace, container, NOW, synth, synthError } from './helpers';

test('a plain Chart nested in a BulwarkChart is still checked at synth', () => {
  const { chart } = chartWithNamespace();
  const inner = new Chart(chart, 'inner');
  new ApiObject(inner, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team-a' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } });
  const err = synthError(chart);
  expect(err).toContain('[pod-security/privileged]');
  expect(err).toContain('[pod-security/host-namespaces]');
});

describe('RBAC wildcards in every form', () => {
  const role = (rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'team-a' }, rules });
  const ids = (o: any) => [...new Set(evaluate([o], { now: NOW }).map((f) => f.ruleId))].sort();

  test('"*/exec" is a wildcard and grants pods/exec', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]))).toEqual(['rbac/no-exec-attach', 'rbac/no-wildcards']);
  });
  test('"*/token" grants serviceaccounts/token', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }]))).toContain('rbac/no-sensitive-apis');
  });
  test('verbs "*" on roles is escalate and bind, not only a wildcard', () => {
    expect(ids(role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['*'] }]))).toEqual(['rbac/no-escalation-verbs', 'rbac/no-wildcards']);
  });
  test('pods/ephemeralcontainers is a shell into a running pod', () => {
    expect(ids(role([{ apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }]))).toEqual(['rbac/no-exec-attach']);
  });
  test('a waiver of no-wildcards does not hide escalate/bind behind "*"', () => {
    const { chart, ns } = chartWithNamespace();
    const r = new LeastPrivilegeRole(chart, 'ops', { namespace: ns, waivers: [Waiver.of('rbac/no-wildcards', { reason: 'operator manages every resource of its CRD group' })] });
    expect(() => r.allow({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['*'] })).toThrow(/rule rbac\/no-escalation-verbs/);
  });
});

describe('cross-namespace workload rights', () => {
  const objects = (subject: unknown, verbs: string[]) => [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'team-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' }, subjects: [subject] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'deployer', namespace: 'team-a' }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs }] },
  ];
  const hit = (subject: unknown, verbs: string[]) => evaluate(objects(subject, verbs), { now: NOW }).some((f) => f.ruleId === 'rbac/no-cross-namespace-workloads');
  test.each([
    ['the service account group of another namespace', { kind: 'Group', name: 'system:serviceaccounts:team-b' }, ['create'], true],
    ['every service account', { kind: 'Group', name: 'system:serviceaccounts' }, ['create'], true],
    ['a service account named as a user', { kind: 'User', name: 'system:serviceaccount:team-b:ci' }, ['create'], true],
    ['patch on a workload template', { kind: 'ServiceAccount', name: 'ci', namespace: 'team-b' }, ['patch'], true],
    ['its own namespace', { kind: 'ServiceAccount', name: 'ci', namespace: 'team-a' }, ['create', 'patch'], false],
    ['a human group', { kind: 'Group', name: 'team-a-developers' }, ['create'], false],
  ])('%s', (_what, subject, verbs, expected) => {
    expect(hit(subject, verbs)).toBe(expected);
  });
});

describe('metadata endpoint', () => {
  const np = (egress: unknown[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress } });
  const hit = (egress: unknown[]) => evaluate([np(egress)], { now: NOW }).filter((f) => f.ruleId === 'network/no-metadata-egress').map((f) => f.detail);
  test.each([
    ['an egress rule with no destination', [{}], 1],
    ['an egress rule with ports but no destination', [{ ports: [{ port: 80 }] }], 1],
    ['IPv6 everywhere without the metadata exception', [{ to: [{ ipBlock: { cidr: '::/0' } }] }], 1],
    ['IPv6 everywhere excepting only the AWS IPv6 address', [{ to: [{ ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } }] }], 1],
    ['IPv6 everywhere excepting every native IPv6 metadata address', [{ to: [{ ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128', 'fd20:ce::254/128', 'fe80::a9fe:a9fe/128'] } }] }], 0],
    ['a range that does not contain it', [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }], 0],
  ])('%s', (_what, egress, n) => {
    expect(hit(egress)).toHaveLength(n);
  });

  test('allowEgress refuses the metadata address itself, and malformed IPv6', () => {
    const { chart, ns } = chartWithNamespace();
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    expect(() => w.allowEgress('169.254.169.254/32', Port.tcp(80)))
      .toThrow('SecureWorkload "api": allowEgress cidr "169.254.169.254/32" is the cloud metadata endpoint, which is never reachable (rule network/no-metadata-egress).');
    expect(() => w.allowEgress('1:2/16', Port.tcp(80))).toThrow(/is not an IPv4 or IPv6 CIDR/);
  });
});

test('waiving a restricted check does not relax the baseline check it is stricter than', () => {
  const { chart, ns } = chartWithNamespace();
  const w = new SecureWorkload(chart, 'api', {
    namespace: ns, containers: [container()],
    waivers: [Waiver.of('pod-security/capabilities-restricted', { reason: 'needs NET_BIND_SERVICE... and more, we claim' })],
  });
  w.resource.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities/add', ['SYS_ADMIN']));
  expect(synthError(chart)).toContain('[pod-security/capabilities-baseline] non-default capabilities: container "app" must not include "SYS_ADMIN"');
});

test('an empty resourceNames is refused instead of granting every object', () => {
  const { chart, ns } = chartWithNamespace();
  const r = new LeastPrivilegeRole(chart, 'r', { namespace: ns });
  expect(() => r.allow({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [] }))
    .toThrow('LeastPrivilegeRole "r": allow resourceNames [] is empty, which Kubernetes reads as every object (rule rbac/secrets-by-name).');
});

test('a workload with grants and no other volume gets its token volume and mounts', () => {
  const { chart, ns } = chartWithNamespace();
  const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ writablePaths: [] })] });
  w.grant({ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['flags'] });
  const pod = synth(chart).find((o) => o.kind === 'Deployment')!.spec.template.spec;
  expect(pod.volumes.map((v: any) => v.name)).toEqual(['api-token']);
  expect(pod.containers[0].volumeMounts.map((m: any) => m.name)).toEqual(['api-token']);
});

test('generated volume names stay valid for long container names and dotted secret names', () => {
  const { chart, ns } = chartWithNamespace();
  new SecureWorkload(chart, 'api', { namespace: ns, containers: [container({ name: 'a'.repeat(63), secretFiles: [{ secretName: 'tls.example.com', mountPath: '/tls' }] })] });
  const names = synth(chart).find((o) => o.kind === 'Deployment')!.spec.template.spec.volumes.map((v: any) => v.name);
  for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  const bad = chartWithNamespace();
  expect(() => new SecureWorkload(bad.chart, 'api', { namespace: bad.ns, containers: [container({ secretFiles: [{ secretName: 'Not_Valid', mountPath: '/x' }] })] }))
    .toThrow('SecureWorkload "api": container "app" secretFiles secretName "Not_Valid" is not a valid Secret name (rule workloads/secrets-as-files).');
});

test('impossible waiver expiry dates are refused, not rolled over', () => {
  expect(parseExpiry('2027-02-31')).toBeUndefined();
  expect(parseExpiry('2027-02-28')).toBeDefined();
  expect(() => Waiver.of('workloads/probes', { reason: 'batch consumer exposes no endpoint', expires: '2027-02-31' })).toThrow(/expires "2027-02-31" is not a date/);
});
