/**
 * `bulwark scan` without a cluster: a fake reader serves live objects, so the catalog's verdicts,
 * the skipping of controller-made objects, the drift rules and the scanner ClusterRole are checked
 * here; tests/e2e/scan.e2e.ts does the same against the real API server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compare, weakenedFields } from '../cli/drift';
import { ClusterReader, runScan } from '../cli/scan';
import { evaluate, KubeObject } from '../policy';
import { SCAN_RESOURCES } from '../policy/scan-resources';
import { scannerRoleObjects } from '../stacks/scanner-role';
import { NOW } from './helpers';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const deployment = (privileged: boolean): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'team-a', labels: { app: 'api' } },
  spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: `r.example.com/api@${DIGEST}`, securityContext: { privileged } }] } } },
});

function reader(objects: KubeObject[]): ClusterReader {
  return {
    server: 'https://fake',
    list: async (r) => objects.filter((o) => o.kind === r.kind),
  };
}

test('the scanner ClusterRole grants get and list on exactly what scan reads, never Secrets, and passes every rule', () => {
  const [role, binding] = scannerRoleObjects();
  expect(role.kind).toBe('ClusterRole');
  const granted = role.rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res}`)).sort();
  expect(granted).toEqual(SCAN_RESOURCES.map((r) => `${r.group}/${r.resource}`).sort());
  expect(new Set(role.rules.flatMap((r: any) => r.verbs))).toEqual(new Set(['get', 'list']));
  expect(granted.some((g: string) => g.endsWith('/secrets'))).toBe(false);
  expect(binding).toMatchObject({ kind: 'ClusterRoleBinding', roleRef: { name: 'bulwark-scanner' }, subjects: [{ kind: 'Group', name: 'bulwark:scanners' }] });
  expect(evaluate([role, binding], { now: NOW })).toEqual([]);
});

test('live objects are checked by the catalog; what a controller made is judged through its owner', async () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1', namespace: 'team-a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-x', controller: true, uid: '1' }] }, spec: { containers: [{ name: 'api', image: 'x', securityContext: { privileged: true } }] } };
  const r = await runScan(['--format', 'json', '--pack', 'pss-baseline'], { now: NOW }, reader([deployment(true), pod]));
  const out = JSON.parse(r.stdout);
  expect(out.findings.map((f: any) => `${f.ruleId} ${f.object.kind}`)).toEqual(['pod-security/privileged Deployment']);
  expect(out.findings[0].remediationFor).toBe('manifest');
  expect(r.code).toBe(1);
  expect(out.drift).toBeUndefined();
});

test('drift: undeclared, missing and weakened, with the blueprint\'s file and line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-scan-'));
  const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  fs.writeFileSync(path.join(dir, 'all.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment(false), np] }, null, 2));
  const extra: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made', namespace: 'team-a' } };
  const root: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'team-a' } };
  const r = await runScan(['--blueprint', dir, '--format', 'json', '--pack', 'pss-baseline'], { now: NOW }, reader([deployment(true), extra, root]));
  const out = JSON.parse(r.stdout);
  expect(out.drift.map((d: any) => [d.kind, d.object.kind, d.object.name, d.field ?? ''])).toEqual([
    ['weakened', 'Deployment', 'api', 'spec.template.spec.containers[0].securityContext'],
    ['missing', 'NetworkPolicy', 'deny', ''],
    ['undeclared', 'ConfigMap', 'hand-made', ''],
  ]);
  expect(out.drift[0]).toMatchObject({ file: path.join(dir, 'all.json'), line: 5, declared: '{"privileged":false}', live: '{"privileged":true}' });
  // The live Deployment's finding points at the blueprint's line.
  expect(out.findings[0]).toMatchObject({ ruleId: 'pod-security/privileged', file: path.join(dir, 'all.json'), line: 5 });
  expect(r.code).toBe(1);
  const text = await runScan(['--blueprint', dir, '--pack', 'pss-baseline'], { now: NOW }, reader([deployment(true), extra]));
  expect(text.stdout).toContain('drift from the blueprint');
  expect(text.stdout).toContain('  - missing NetworkPolicy team-a/deny: declared in the blueprint, absent from the cluster');
});

test('defaults the API server fills in are not drift; what weakens is', () => {
  const declared: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } };
  const live = { ...declared, metadata: { ...declared.metadata, uid: 'u', resourceVersion: '1' }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] } };
  expect(weakenedFields(declared, live)).toEqual([]);
  expect(weakenedFields(declared, { ...live, spec: { ...live.spec, ingress: [...live.spec.ingress, {}] } }).map((w) => w.field)).toEqual(['spec']);
  const binding: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'Group', name: 'devs' }] };
  expect(weakenedFields(binding, { ...binding, subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }] })).toEqual([]);
  expect(weakenedFields(binding, { ...binding, roleRef: { ...binding.roleRef, kind: 'ClusterRole', name: 'admin' } }).map((w) => w.field)).toEqual(['roleRef']);
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'a' }, spec: { selector: { app: 's' }, ports: [{ port: 80 }] } };
  expect(weakenedFields(svc, { ...svc, spec: { ...svc.spec, type: 'ClusterIP', clusterIP: '10.0.0.1' } })).toEqual([]);
  expect(weakenedFields(svc, { ...svc, spec: { ...svc.spec, type: 'NodePort' } }).map((w) => w.field)).toEqual(['spec.type']);
  expect(compare([{ object: svc }], [svc])).toEqual([]);
});

test('--help, arguments and a missing blueprint', async () => {
  expect((await runScan(['--help'])).stdout).toMatch(/^usage: bulwark scan/);
  expect((await runScan(['dist/'])).code).toBe(2);
  const r = await runScan(['--blueprint', path.join(os.tmpdir(), 'no-such-blueprint')], {}, reader([]));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('no such file or directory');
});
