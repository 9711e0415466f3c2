/**
 * The reference control plane on a real kube-apiserver: its own etcd and API server, started with
 * exactly the flags of the generated kube-apiserver-flags.yaml and the files of dist/control-plane/
 * as stacks/provision-control-plane.ts installs them (encryption key from the environment). The
 * OIDC issuer is a local one (discovery and JWKS over HTTPS with a throwaway CA, RS256 tokens).
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { parse } from 'yaml';
import { KubeObject } from '../../policy';
import { buildApp } from '../../stacks/app';
import { writeControlPlaneFiles } from '../../stacks/control-plane-files';
import { provisionControlPlaneFiles } from '../../stacks/provision-control-plane';
import { REFERENCE_AUDIENCE } from '../../stacks/reference/control-plane';
import { binPath, ClusterHandle, generatePki, request, startCluster } from './helpers/harness';
import { clientFor } from './helpers/kube';
import { startIssuer, Issuer } from './helpers/oidc-issuer';
import { declaredAllows, probes } from './helpers/rbac-model';

const log = (msg: string) => process.stderr.write(`[control-plane-e2e] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let work: string;
let issuer: Issuer;
let cluster: ClusterHandle;
let admin: ReturnType<typeof clientFor>;
let flags: Record<string, string>;
let stack: KubeObject[];
const MARKER = `bulwark-marker-${crypto.randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-control-plane-e2e-'));
  issuer = await startIssuer(path.join(work, 'issuer'));
  const pki = generatePki(path.join(work, 'pki'), { serviceIp: '10.96.0.1' });
  const node = path.join(work, 'node');
  const app = buildApp({ outdir: path.join(work, 'dist') }, {
    controlPlane: { configDirectory: node, pkiDirectory: pki.dir, auditLogPath: path.join(work, 'audit', 'audit.log'), oidc: { issuerUrl: issuer.url, certificateAuthority: issuer.caPem } },
  });
  app.synth();
  writeControlPlaneFiles(app, app.outdir);
  // The reference shop: its namespaces, ServiceAccounts and the team role bound to the OIDC group.
  // Its admission guardrails are left out: their own suite proves them, and this one admits test pods.
  stack = app.synthesizeCharts().filter((c) => c.chart.node.id === 'shop').flatMap((c) => c.objects.map((o) => o.json))
    .filter((o) => !o.kind.startsWith('ValidatingAdmissionPolicy'));
  // The one provisioning step: the key comes from the environment, never from dist/.
  provisionControlPlaneFiles(path.join(app.outdir, 'control-plane'), node, { env: { BULWARK_ENCRYPTION_KEY: crypto.randomBytes(32).toString('base64') } });
  flags = parse(fs.readFileSync(path.join(node, 'kube-apiserver-flags.yaml'), 'utf8')).flags;
  fs.mkdirSync(path.join(work, 'audit'), { recursive: true });
  cluster = await startCluster({ pki, apiserverFlags: flags, log });
  admin = clientFor({ server: cluster.server, caPath: cluster.caPath, certPath: cluster.adminCertPath, keyPath: cluster.adminKeyPath });
  const applied = await admin.applyAll(stack);
  expect(applied.filter((a) => a.result.status >= 300).map((a) => `${a.object.kind} ${a.object.metadata?.name}: ${a.result.status}`)).toEqual([]);
});

afterAll(async () => {
  await cluster?.stop();
  await issuer?.close();
  if (work && process.env.BULWARK_E2E_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
});

/** A request with no credentials at all. */
const anonymous = (p: string) => request(`${cluster.server}${p}`, { caPath: cluster.caPath });
/** A request with a bearer token and no client certificate. */
const bearer = (token: string, p: string, opts: { method?: string; body?: unknown } = {}) => request(`${cluster.server}${p}`, {
  caPath: cluster.caPath, method: opts.method ?? 'GET',
  headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(opts.body ? { 'Content-Type': 'application/json' } : {}) },
  body: opts.body ? JSON.stringify(opts.body) : undefined,
});

test('the API server runs with exactly the generated flags', () => {
  const cmdline = fs.readFileSync(`/proc/${cluster.pids.apiserver}/cmdline`, 'utf8').split('\0');
  for (const [name, value] of Object.entries(flags)) expect(cmdline.filter((a) => a.startsWith(`--${name}=`))).toEqual([`--${name}=${value}`]);
  expect(cmdline.some((a) => a.startsWith('--anonymous-auth') || a.startsWith('--token-auth-file'))).toBe(false);
});

describe('kubeadm and the kubelet accept the files (their own decoders and validators, in bulwark-kube validate-config)', () => {
  const validate = (...files: string[]) => {
    try {
      return { code: 0, out: execFileSync(binPath('bulwark-kube'), ['validate-config', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      return { code: (e as { status: number }).status, out: String((e as { stdout: string }).stdout) };
    }
  };

  test('kubeadm init (with the kubelet configuration) and every join file, as provisioned on a node', () => {
    const dist = path.join(work, 'dist', 'control-plane');
    const worker = path.join(work, 'worker');
    provisionControlPlaneFiles(dist, worker, { role: 'worker', env: { BULWARK_JOIN_TOKEN: 'abcdef.0123456789abcdef', BULWARK_CA_CERT_HASH: `sha256:${'a'.repeat(64)}` } });
    const files = [path.join(work, 'node', 'kubeadm-init.yaml'), path.join(work, 'node', 'kubelet-configuration.yaml'), ...fs.readdirSync(worker).map((f) => path.join(worker, f))];
    const r = validate(...files);
    expect(r.out.trim().split('\n').filter((l) => !l.startsWith('ok '))).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('kubeadm-init.yaml: [ClusterConfiguration InitConfiguration KubeletConfiguration]');
    expect(r.out).toContain('kubeadm-join-shop-data.yaml: [JoinConfiguration]');
  });

  test('and refuse what they would refuse: a join file whose token was never provisioned, a misspelled kubelet field', () => {
    const typo = path.join(work, 'typo-kubelet.yaml');
    fs.writeFileSync(typo, fs.readFileSync(path.join(work, 'node', 'kubelet-configuration.yaml'), 'utf8').replace('readOnlyPort:', 'readOnlyPrt:'));
    const r = validate(path.join(work, 'dist', 'control-plane', 'kubeadm-join.yaml'), typo);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the bootstrap token is invalid');
    expect(r.out).toContain('unknown field "readOnlyPrt"');
  });
});

describe('anonymous requests (CIS 1.2.1)', () => {
  test('reach the health endpoints only', async () => {
    for (const p of ['/livez', '/readyz', '/healthz']) expect(`${p} ${(await anonymous(p)).status}`).toBe(`${p} 200`);
    for (const p of ['/version', '/api', '/apis', '/api/v1/namespaces/default/secrets', '/openapi/v2', '/metrics']) {
      expect(`${p} ${(await anonymous(p)).status}`).toBe(`${p} 401`);
    }
  });

  test('kubeadm\'s discovery path is authenticated as system:anonymous and then left to RBAC', async () => {
    const r = await anonymous('/api/v1/namespaces/kube-public/configmaps/cluster-info');
    expect(r.status).toBe(403);
    expect(r.body).toContain('system:anonymous');
  });
});

describe('the running API server', () => {
  test('serves no profiling data (CIS 1.2.15)', async () => {
    expect((await cluster.request('/debug/pprof/')).status).toBe(404);
  });

  const handshake = (options: tls.ConnectionOptions) => new Promise<string>((resolve) => {
    const u = new URL(cluster.server);
    const s = tls.connect({ host: u.hostname, port: Number(u.port), ca: fs.readFileSync(cluster.caPath), ...options }, () => { resolve(`ok ${s.getCipher().name}`); s.end(); });
    s.on('error', (e) => resolve(`refused: ${e.message}`));
  });

  test('accepts TLS 1.2 with strong suites only (CIS 1.2.29)', async () => {
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toBe('ok ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(await handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA' })).toMatch(/^refused/);
    expect(await handshake({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).toMatch(/^refused/);
  });
});

describe('Secrets are encrypted at rest (CIS 1.2.27, 1.2.28)', () => {
  /** The raw value of an etcd key, through etcd's v3 JSON gateway. */
  async function etcdValue(key: string): Promise<Buffer> {
    const r = await request(`${cluster.etcdEndpoint}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from(key).toString('base64') }) });
    const kv = JSON.parse(r.body).kvs?.[0];
    if (!kv) throw new Error(`etcd has no key ${key}: ${r.body}`);
    return Buffer.from(kv.value, 'base64');
  }

  test('a Secret is stored with the k8s:enc:secretbox prefix and without its data; a ConfigMap (not listed) is not', async () => {
    const ns = 'encryption-probe';
    expect((await admin.api('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })).status).toBe(201);
    expect((await admin.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'probe' }, stringData: { password: MARKER } } })).status).toBe(201);
    expect((await admin.api(`/api/v1/namespaces/${ns}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' }, data: { value: MARKER } } })).status).toBe(201);
    const secret = await etcdValue(`/registry/secrets/${ns}/probe`);
    expect(secret.subarray(0, 'k8s:enc:secretbox:v1:key1:'.length).toString()).toBe('k8s:enc:secretbox:v1:key1:');
    expect(secret.includes(MARKER)).toBe(false);
    expect(secret.includes(Buffer.from(MARKER).toString('base64'))).toBe(false);
    const configMap = await etcdValue(`/registry/configmaps/${ns}/probe`);
    expect(configMap.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(configMap.includes(MARKER)).toBe(true);
    // The API server decrypts it again.
    const read = await admin.api(`/api/v1/namespaces/${ns}/secrets/probe`);
    expect(Buffer.from(read.body.data.password, 'base64').toString()).toBe(MARKER);
  });
});

describe('the audit log (CIS 1.2.16, 3.2.1, 3.2.2)', () => {
  const ns = 'audit-probe';
  let events: any[] = [];
  let text = '';
  let saToken = '';

  beforeAll(async () => {
    expect((await admin.api('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })).status).toBe(201);
    await admin.api(`/api/v1/namespaces/${ns}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    await admin.api(`/api/v1/namespaces/${ns}/secrets`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'audited' }, stringData: { token: MARKER } } });
    await admin.api(`/api/v1/namespaces/${ns}/secrets/audited`);
    await admin.api(`/api/v1/namespaces/${ns}/secrets`);
    await admin.api(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'target' }, spec: { containers: [{ name: 'c', image: 'registry.example.com/shop/busybox:1' }] } } });
    for (const sub of ['exec?command=id&stdout=true', 'attach?stdout=true', 'portforward?ports=80']) {
      await admin.api(`/api/v1/namespaces/${ns}/pods/target/${sub}`, { method: 'POST' });
      await admin.api(`/api/v1/namespaces/${ns}/pods/target/${sub}`);
    }
    await admin.api('/api/v1/nodes/no-such-node/proxy/pods');
    await admin.api(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { method: 'POST', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'audited' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] } });
    const tr = await admin.api(`/api/v1/namespaces/shop-backend/serviceaccounts/api/token`, { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } } });
    saToken = tr.body.status.token;
    await admin.api('/apis/authentication.k8s.io/v1/tokenreviews', { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: saToken } } });
    // The api's leader election, as the api itself (ignored) and as the admin (recorded).
    expect((await bearer(saToken, '/apis/coordination.k8s.io/v1/namespaces/shop-backend/leases/api-leader')).status).toBe(404);
    await admin.api('/apis/coordination.k8s.io/v1/namespaces/shop-backend/leases/api-leader');
    await anonymous('/livez');
    // The log backend writes in blocking mode; give the file a moment anyway.
    for (let i = 0; i < 20 && !(text = fs.readFileSync(cluster.auditLogPath!, 'utf8')).includes('api-leader'); i++) await sleep(250);
    events = text.trim().split('\n').map((l) => JSON.parse(l));
  });

  const where = (pred: (e: any) => boolean) => events.filter(pred);
  const of = (resource: string, sub?: string) => (e: any) => e.objectRef?.resource === resource && e.objectRef?.subresource === sub && e.objectRef?.namespace === ns;

  test('is written where the flags say, without the RequestReceived stage', () => {
    expect(cluster.auditLogPath).toBe(flags['audit-log-path']);
    expect(events.length).toBeGreaterThan(10);
    expect(where((e) => e.stage === 'RequestReceived')).toEqual([]);
  });

  test('records Secret access at Metadata, and never the Secret or a token', () => {
    const secrets = where(of('secrets'));
    expect(new Set(secrets.map((e) => e.verb))).toEqual(new Set(['create', 'get', 'list']));
    expect(secrets.map((e) => e.level)).toEqual(secrets.map(() => 'Metadata'));
    expect(secrets.filter((e) => e.requestObject || e.responseObject)).toEqual([]);
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain(Buffer.from(MARKER).toString('base64'));
    expect(text).not.toContain(saToken);
    const tokens = where((e) => e.objectRef?.resource === 'serviceaccounts' && e.objectRef?.subresource === 'token');
    expect(tokens.map((e) => e.level)).toEqual(['Metadata']);
    expect(where((e) => e.objectRef?.resource === 'tokenreviews').map((e) => e.level)).toEqual(['Metadata']);
  });

  test('records every exec, attach, port-forward and node proxy request, whatever the verb', () => {
    for (const sub of ['exec', 'attach', 'portforward']) {
      // Long-running requests are logged at ResponseStarted and ResponseComplete: one request, two events.
      const found = where((e) => of('pods', sub)(e) && e.stage === 'ResponseComplete');
      expect(`${sub}: ${found.map((e) => `${e.verb}/${e.level}`).sort().join(',')}`).toBe(`${sub}: create/Metadata,get/Metadata`);
    }
    expect(where((e) => e.objectRef?.resource === 'nodes' && e.objectRef?.subresource === 'proxy' && e.stage === 'ResponseComplete').map((e) => e.level)).toEqual(['Metadata']);
  });

  test('records RBAC and Namespace writes with their bodies', () => {
    const [role] = where(of('roles'));
    expect(role.level).toBe('RequestResponse');
    expect(role.requestObject.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    expect(role.responseObject.metadata.managedFields).toBeUndefined();
    const created = where((e) => e.objectRef?.resource === 'namespaces' && e.verb === 'create' && e.objectRef?.name === ns);
    expect(created.map((e) => e.level)).toEqual(['RequestResponse']);
  });

  test('ignores the api\'s own leader election and the health probes, but not the same read by someone else', () => {
    const lease = where((e) => e.objectRef?.name === 'api-leader');
    expect(lease.map((e) => e.user.username)).toEqual(['bulwark-e2e-admin']);
    expect(where((e) => e.requestURI === '/livez')).toEqual([]);
  });
});

describe('OIDC sign-in (CIS 3.1.1)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({ iss: issuer.url, aud: REFERENCE_AUDIENCE, sub: 'alice', groups: ['shop-developers'], iat: now() - 10, exp: now() + 600, ...extra });
  const whoAmI = async (token: string) => bearer(token, '/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });

  beforeAll(async () => {
    // The JWT authenticator fetches discovery and keys in the background after start.
    for (let i = 0; i < 120 && (await whoAmI(issuer.mint(claims()))).status !== 201; i++) await sleep(500);
  });

  test('a valid token maps to the prefixed user and groups', async () => {
    const r = await whoAmI(issuer.mint(claims()));
    expect(r.status).toBe(201);
    const user = JSON.parse(r.body).status.userInfo;
    expect(user.username).toBe('oidc:alice');
    expect(user.groups).toEqual(['oidc:shop-developers', 'system:authenticated']);
  });

  test('the group gets exactly the team role of the reference stack, and nothing else', async () => {
    const token = issuer.mint(claims());
    const namespaces = stack.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name!);
    const wrong: string[] = [];
    let allowedCount = 0;
    const matrix = probes(namespaces, stack);
    for (const a of matrix) {
      const r = await bearer(token, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: a.namespace, group: a.group, resource: a.resource, subresource: a.subresource, verb: a.verb, name: a.name } } },
      });
      const allowed = JSON.parse(r.body).status?.allowed === true;
      if (allowed) allowedCount++;
      if (allowed !== declaredAllows(stack, { kind: 'Group', name: 'oidc:shop-developers' }, a)) {
        wrong.push(`${a.verb} ${a.group || 'core'}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.namespace ? ` in ${a.namespace}` : ''}: ${allowed ? 'allowed' : 'denied'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(matrix.length).toBeGreaterThan(100);
    expect(allowedCount).toBeGreaterThan(0);
  });

  test.each([
    ['expired', () => issuer.mint(claims({ iat: now() - 7200, exp: now() - 3600 }))],
    ['for another audience', () => issuer.mint(claims({ aud: 'another-cluster' }))],
    ['from another issuer', () => issuer.mint(claims({ iss: 'https://login.evil.example.com' }))],
    ['signed by another key', () => issuer.mint(claims(), { key: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey })],
    ['living longer than a day (claim validation rule)', () => issuer.mint(claims({ exp: now() + 2 * 86400 }))],
    ['without iat (claim validation rule)', () => issuer.mint(claims({ iat: undefined }))],
  ])('a token %s is refused', async (_name, make) => {
    expect((await whoAmI(make())).status).toBe(401);
  });

  test('an identity-provider group named system:masters gets nothing of system:masters', async () => {
    const token = issuer.mint(claims({ sub: 'system:admin', groups: ['system:masters'] }));
    const r = await whoAmI(token);
    expect(JSON.parse(r.body).status.userInfo).toMatchObject({ username: 'oidc:system:admin', groups: ['oidc:system:masters', 'system:authenticated'] });
    expect((await bearer(token, '/api/v1/namespaces/shop-backend/secrets')).status).toBe(403);
  });
});

describe('admission (PodSecurity defaults, NodeRestriction and the hardening plugins)', () => {
  const pod = (ns: string, name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'registry.example.com/shop/busybox:1', ...spec }] } });

  beforeAll(async () => {
    for (const ns of ['psa-default', 'kube-system']) {
      await admin.api('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      await admin.api(`/api/v1/namespaces/${ns}/serviceaccounts`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
    }
  });

  test('an unlabelled namespace enforces baseline and warns at restricted', async () => {
    const privileged = await admin.dryRunCreate(pod('psa-default', 'privileged', { securityContext: { privileged: true } }));
    expect(privileged.status).toBe(403);
    expect(privileged.body.message).toContain('violates PodSecurity "baseline:v1.36"');
    const plain = await admin.dryRunCreate(pod('psa-default', 'plain'));
    expect(`${plain.status} ${plain.body?.message ?? ''}`.trim()).toBe('201');
    expect(plain.warnings.join(' ')).toMatch(/would violate PodSecurity \W*restricted:latest/);
    // AlwaysPullImages (CIS 1.2.11).
    expect(plain.body.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  test('kube-system alone is exempt', async () => {
    expect((await admin.dryRunCreate(pod('kube-system', 'privileged', { securityContext: { privileged: true } }))).status).toBe(201);
  });

  test('ValidatingAdmissionPolicies are enforced (the plugin is on)', async () => {
    const policy = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'no-forbidden-configmaps' },
      spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] }, validations: [{ expression: "object.metadata.name != 'forbidden'", reason: 'Forbidden' }] } };
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'no-forbidden-configmaps' }, spec: { policyName: 'no-forbidden-configmaps', validationActions: ['Deny'] } };
    expect((await admin.apply(policy)).status).toBeLessThan(300);
    expect((await admin.apply(binding)).status).toBeLessThan(300);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'forbidden', namespace: 'psa-default' } };
    let r = await admin.dryRunCreate(cm);
    for (let i = 0; i < 40 && r.status === 201; i++) { await sleep(250); r = await admin.dryRunCreate(cm); }
    expect(`${r.status} ${r.body?.message}`).toContain("403 configmaps \"forbidden\" is forbidden: ValidatingAdmissionPolicy 'no-forbidden-configmaps'");
  });

  test('Service externalIPs are refused (DenyServiceExternalIPs, CIS 1.2.3)', async () => {
    const r = await admin.dryRunCreate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'mitm', namespace: 'psa-default' }, spec: { ports: [{ port: 443 }], externalIPs: ['203.0.113.10'] } });
    expect(r.status).toBe(403);
  });
});
