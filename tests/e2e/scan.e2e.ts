/**
 * `bulwark scan` against the real API server: a stack is synthesized to a blueprint directory and
 * applied; the scan, run as a user that holds only the scanner ClusterRole (stacks/scanner-role.ts:
 * get and list), reports no drift; then objects are weakened by hand through the API, and the scan
 * reports exactly those changes (and the catalog's findings on them, at the blueprint's lines).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BulwarkApp, BulwarkChart, Image, IsolatedNamespace, Port, Probe, SecureConfigMap, SecureDeployment } from '../../constructs';
import { KubeObject } from '../../policy';
import { scannerRoleObjects } from '../../stacks/scanner-role';
import { writeKubeconfig } from './helpers/harness';
import { api, applyAll, pathOf } from './helpers/kube';

const ROOT = path.resolve(process.cwd());
const NS = 'scan-drift';
// A registry the shared cluster's guardrails trust (the reference cluster's, applied by other suites).
const REGISTRY = 'registry.example.com/shop/scan';
const GROUP = 'bulwark:scanners';

/** The blueprint: one isolated namespace, a Deployment with a grant, its Service and policies. */
function synthesize(outdir: string): KubeObject[] {
  const app = new BulwarkApp({ outdir, trustedRegistries: [REGISTRY] });
  const chart = new BulwarkChart(app, 'scan-drift');
  const ns = new IsolatedNamespace(chart, NS);
  const config = new SecureConfigMap(chart, 'flags', { namespace: ns, data: { 'flags.yaml': 'beta: false\n' } });
  const apiWorkload = new SecureDeployment(chart, 'api', {
    namespace: ns,
    containers: [{
      name: 'api',
      image: Image.pinned(`${REGISTRY}/api`, `sha256:${'c3'.repeat(32)}`),
      ports: [Port.tcp(8080, 'http')],
      liveness: Probe.fromHttpGet('/healthz'),
      readiness: Probe.fromHttpGet('/ready'),
    }],
  });
  apiWorkload.grantRead(config);
  app.synth();
  return app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json as KubeObject));
}

/** A client certificate for `user` in `group`, signed by the e2e cluster's CA, and its kubeconfig. */
function scannerKubeconfig(dir: string, user: string, group: string): string {
  const ca = process.env.BULWARK_E2E_CA!;
  const caKey = path.join(path.dirname(ca), 'ca.key');
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'scanner.key']);
  run(['req', '-new', '-key', 'scanner.key', '-subj', `/O=${group}/CN=${user}`, '-out', 'scanner.csr']);
  fs.writeFileSync(path.join(dir, 'scanner.ext'), '[v3]\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  run(['x509', '-req', '-in', 'scanner.csr', '-CA', ca, '-CAkey', caKey, '-set_serial', '0x5ca11e', '-days', '1', '-sha256', '-extfile', 'scanner.ext', '-extensions', 'v3', '-out', 'scanner.crt']);
  const file = path.join(dir, 'scanner.kubeconfig');
  writeKubeconfig(file, process.env.BULWARK_E2E_SERVER!, ca, user, path.join(dir, 'scanner.crt'), path.join(dir, 'scanner.key'));
  return file;
}

function scan(kubeconfig: string, blueprint: string, format = 'json'): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'cli', 'bulwark.ts'), 'scan', '--kubeconfig', kubeconfig, '--blueprint', blueprint, '--format', format, '--trusted-registry', REGISTRY], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function patch(o: KubeObject, body: unknown, contentType: string): Promise<void> {
  const r = await api(await pathOf(o), { method: 'PATCH', body, contentType });
  if (r.status !== 200) throw new Error(`patch ${o.kind} ${o.metadata?.name}: ${r.status} ${r.body?.message ?? ''}`);
}

const mine = (d: any) => (d.object.namespace === NS || (d.object.kind === 'Namespace' && d.object.name === NS));
const driftKey = (d: any) => `${d.kind} ${d.object.kind} ${d.object.name}${d.field ? ` ${d.field}` : ''}`;

describe('bulwark scan', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-scan-e2e-'));
  const blueprint = path.join(dir, 'dist');
  let objects: KubeObject[] = [];
  let kubeconfig = '';
  const find = (kind: string, pred: (o: KubeObject) => boolean = () => true) => {
    const o = objects.find((x) => x.kind === kind && pred(x));
    if (!o) throw new Error(`the blueprint has no ${kind}`);
    return o;
  };

  beforeAll(async () => {
    objects = synthesize(blueprint);
    const applied = await applyAll([...objects, ...scannerRoleObjects({ group: GROUP })]);
    const failed = applied.filter((a) => a.result.status !== 200 && a.result.status !== 201).map((a) => `${a.object.kind} ${a.object.metadata?.name}: ${a.result.status} ${a.result.body?.message ?? ''}`);
    if (failed.length) throw new Error(`apply failed: ${failed.join('; ')}`);
    kubeconfig = scannerKubeconfig(dir, 'scan-user', GROUP);
  });

  afterAll(async () => {
    // Other suites share the cluster: take the scanner's cluster-wide grant away again.
    for (const o of scannerRoleObjects({ group: GROUP })) await api(await pathOf(o), { method: 'DELETE' });
  });

  test('the scanner user holds get and list only: it may not read a Secret', async () => {
    const review = await api('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'scan-user', groups: [GROUP], resourceAttributes: { resource: 'secrets', verb: 'list' } } },
    });
    expect(review.body.status.allowed).toBe(false);
    const deployments = await api('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'scan-user', groups: [GROUP], resourceAttributes: { group: 'apps', resource: 'deployments', verb: 'patch', namespace: NS } } },
    });
    expect(deployments.body.status.allowed).toBe(false);
  });

  test('a freshly applied blueprint has no drift and no finding in its namespace', () => {
    const r = scan(kubeconfig, blueprint);
    expect(r.stderr).toBe('');
    expect(r.code === 0 || r.code === 1).toBe(true);
    const out = JSON.parse(r.stdout);
    expect(out.drift.filter(mine).map(driftKey)).toEqual([]);
    expect(out.drift.map(driftKey)).toEqual([]);
    expect(out.findings.filter((f: any) => f.object.namespace === NS || f.object.name === NS).map((f: any) => `${f.ruleId} ${f.object.kind} ${f.object.name}`)).toEqual([]);
  });

  test('objects weakened by hand are reported, exactly, with the catalog\'s findings at the blueprint\'s lines', async () => {
    const namespace = find('Namespace');
    const deployment = find('Deployment');
    const policy = find('NetworkPolicy', (o) => !['default-deny', 'allow-cluster-dns'].includes(o.metadata!.name!));
    const role = find('Role');
    const service = find('Service');
    const quota = find('ResourceQuota');

    await patch(namespace, { metadata: { labels: { 'bulwark.dev/environment': 'development' } } }, 'application/merge-patch+json');
    await patch(deployment, [
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext/privileged', value: true },
      { op: 'add', path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', value: true },
    ], 'application/json-patch+json');
    await patch(policy, [{ op: 'add', path: '/spec/ingress', value: [...(policy.spec?.ingress ?? []), {}] }], 'application/json-patch+json');
    await patch(role, [{ op: 'add', path: '/rules/0/verbs/-', value: 'list' }], 'application/json-patch+json');
    await patch(service, { spec: { type: 'ExternalName', externalName: 'collector.attacker.example', clusterIP: null, clusterIPs: null, ipFamilies: null, ipFamilyPolicy: null } }, 'application/merge-patch+json');
    const deleted = await api(await pathOf(quota), { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const backdoor = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'backdoor', namespace: NS }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    expect((await api(await pathOf(backdoor, false), { method: 'POST', body: backdoor })).status).toBe(201);

    const r = scan(kubeconfig, blueprint);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.drift.map(driftKey).sort()).toEqual([
      `missing ResourceQuota ${quota.metadata!.name}`,
      `undeclared Role backdoor`,
      `weakened Deployment ${deployment.metadata!.name} spec.template.spec.containers[0].securityContext`,
      `weakened Namespace ${NS} metadata.labels["bulwark.dev/environment"]`,
      `weakened NetworkPolicy ${policy.metadata!.name} spec`,
      `weakened Role ${role.metadata!.name} rules`,
      `weakened Service ${service.metadata!.name} spec.externalName`,
      `weakened Service ${service.metadata!.name} spec.type`,
    ].sort());
    const typeDrift = out.drift.find((d: any) => d.field === 'spec.type');
    expect(typeDrift).toMatchObject({ declared: '"ClusterIP"', live: '"ExternalName"', file: expect.stringContaining('scan-drift.k8s.yaml'), line: expect.any(Number) });

    // The same catalog judges the live objects: the privileged container and the open policy are findings,
    // pointed at the blueprint's file and lines.
    const findings = out.findings.filter((f: any) => f.object.namespace === NS && !f.waiver);
    const ids = findings.map((f: any) => `${f.ruleId} ${f.object.kind}`);
    expect(ids).toEqual(expect.arrayContaining(['pod-security/privileged Deployment', 'pod-security/allow-privilege-escalation Deployment', 'network/no-allow-all-ingress NetworkPolicy']));
    const privileged = findings.find((f: any) => f.ruleId === 'pod-security/privileged');
    expect(privileged).toMatchObject({ file: expect.stringContaining('scan-drift.k8s.yaml'), line: expect.any(Number) });

    // Text and SARIF carry the same drift.
    const text = scan(kubeconfig, blueprint, 'text');
    expect(text.stdout).toContain('drift from the blueprint');
    expect(text.stdout).toMatch(/weakened Service scan-drift\/\S+ spec\.type: Service type is "ExternalName", the blueprint says "ClusterIP"/);
    const sarif = JSON.parse(scan(kubeconfig, blueprint, 'sarif').stdout);
    expect(sarif.runs[0].results.filter((x: any) => x.ruleId.startsWith('drift/')).length).toBe(8);
  });

  test('without list rights the scan fails with the resource it could not list', () => {
    const other = scannerKubeconfig(fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-scan-nobody-')), 'nobody', 'nobody-group');
    const r = scan(other, blueprint);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/may not list namespaces \(403\): bind it to the scanner ClusterRole/);
  });
});
