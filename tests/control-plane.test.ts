import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { AuditBackend, BulwarkApp, ControlPlane, ControlPlaneDocument, controlPlaneFindings, Waiver } from '../constructs';
import { KubeObject } from '../policy';
import { STRONG_CIPHER_SUITES } from '../policy/rules/control-plane/hardening';
import { buildApp } from '../stacks/app';
import { renderControlPlaneFiles, writeControlPlaneFiles } from '../stacks/control-plane-files';
import { newApp } from './helpers';

const ENDPOINT = 'k8s.example.com:6443';

function controlPlane(props: Partial<ConstructorParameters<typeof ControlPlane>[2]> = {}, app: BulwarkApp = newApp()): ControlPlane {
  return new ControlPlane(app, 'control-plane', { controlPlaneEndpoint: ENDPOINT, ...props });
}

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

describe('the reference control plane (npm run synth)', () => {
  const app = buildApp({ outdir: '/nonexistent' });
  const texts = renderControlPlaneFiles(app);

  test('writes exactly these files, each matching its snapshot', () => {
    expect([...texts.keys()].sort()).toEqual([
      'admission-configuration.yaml', 'audit-policy.yaml', 'authentication-configuration.yaml', 'encryption-configuration.yaml',
      'kind-cluster.yaml', 'kube-apiserver-flags.yaml', 'kubeadm-init.yaml', 'kubeadm-join-payments.yaml', 'kubeadm-join-shop-data.yaml', 'kubeadm-join.yaml',
      'kubelet-configuration.yaml',
    ]);
    for (const [name, text] of texts) expect(text).toMatchSnapshot(name);
  });

  test('has zero control-plane findings, waived or not', () => {
    const docs = [...texts.values()].flatMap((t) => parseAllDocuments(t).map((d) => d.toJSON() as KubeObject));
    expect(docs.length).toBeGreaterThanOrEqual(12);
    expect(controlPlaneFindings(docs, { context: docs })).toEqual([]);
  });

  test('holds no key material: only references to the environment', () => {
    const all = [...texts.values()].join('\n');
    expect(all).toContain('bulwark-secret:encryption-key:env:BULWARK_ENCRYPTION_KEY');
    expect(all).toContain('bulwark-secret:bootstrap-token:env:BULWARK_JOIN_TOKEN');
    // Every secret-bearing field of every document is a reference.
    expect(all).not.toMatch(/^\s*(- )?(secret|token): (?!bulwark-secret:)/m);
  });
});

describe('kube-apiserver flags, one assertion per CIS control', () => {
  const cp = controlPlane();
  const flags = cp.apiServerFlags;
  const authn = cp.authentication.toDocument();

  test('1.2.1: anonymous requests reach the health endpoints (and kubeadm discovery) only, through --authentication-config', () => {
    expect(flags['anonymous-auth']).toBeUndefined();
    expect(flags['authentication-config']).toBe('/etc/kubernetes/bulwark/authentication-configuration.yaml');
    expect(authn.anonymous).toEqual({ enabled: true, conditions: ['/livez', '/readyz', '/healthz', '/api/v1/namespaces/kube-public/configmaps/cluster-info'].map((p) => ({ path: p })) });
  });
  test('1.2.2: no static token or password file', () => {
    expect(Object.keys(flags).filter((f) => /token-auth-file|basic-auth-file|^oidc-/.test(f))).toEqual([]);
  });
  test('1.2.3, 1.2.9 to 1.2.14: admission plugins on, AlwaysAdmit off, configured from the AdmissionConfiguration', () => {
    expect(flags['enable-admission-plugins'].split(',')).toEqual(['NamespaceLifecycle', 'ServiceAccount', 'NodeRestriction', 'PodSecurity', 'ValidatingAdmissionPolicy', 'EventRateLimit', 'AlwaysPullImages', 'DenyServiceExternalIPs']);
    expect(flags['disable-admission-plugins']).toBeUndefined();
    expect(flags['admission-control-config-file']).toBe('/etc/kubernetes/bulwark/admission-configuration.yaml');
  });
  test('1.2.4, 1.2.5, 1.2.22, 1.2.24, 1.2.25: certificates in kubeadm\'s PKI directory, kubelets verified', () => {
    expect(flags).toMatchObject({
      'kubelet-client-certificate': '/etc/kubernetes/pki/apiserver-kubelet-client.crt', 'kubelet-client-key': '/etc/kubernetes/pki/apiserver-kubelet-client.key',
      'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt', 'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
      'tls-cert-file': '/etc/kubernetes/pki/apiserver.crt', 'tls-private-key-file': '/etc/kubernetes/pki/apiserver.key', 'client-ca-file': '/etc/kubernetes/pki/ca.crt',
    });
  });
  test('1.2.6 to 1.2.8: Node and RBAC authorization', () => {
    expect(flags['authorization-mode']).toBe('Node,RBAC');
  });
  test('1.2.15: profiling off', () => {
    expect(flags.profiling).toBe('false');
  });
  test('1.2.16 to 1.2.19: audited, to a log kept 30 days, 10 files of 100 MB', () => {
    expect(flags).toMatchObject({ 'audit-policy-file': '/etc/kubernetes/bulwark/audit-policy.yaml', 'audit-log-path': '/var/log/kubernetes/audit/audit.log', 'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100' });
  });
  test('1.2.21, 1.2.30: ServiceAccount tokens looked up, lifetimes not extended', () => {
    expect(flags['service-account-lookup']).toBe('true');
    expect(flags['service-account-extend-token-expiration']).toBe('false');
  });
  test('1.2.27: Secrets encrypted', () => {
    expect(flags['encryption-provider-config']).toBe('/etc/kubernetes/bulwark/encryption-configuration.yaml');
  });
  test('1.2.29: TLS 1.2 or later, ECDHE with AEAD suites only', () => {
    expect(flags['tls-min-version']).toBe('VersionTLS12');
    expect(flags['tls-cipher-suites'].split(',')).toEqual([...STRONG_CIPHER_SUITES]);
    expect(flags['tls-cipher-suites'].split(',').filter((s) => !/^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305)$/.test(s))).toEqual([]);
  });
  test('the flags document is what the rules read, and has no finding', () => {
    expect(cp.flagsDocument()).toEqual({ apiVersion: 'controlplane.bulwark.dev/v1alpha1', kind: 'KubeAPIServerFlags', metadata: { name: 'kube-apiserver' }, flags });
    expect(controlPlaneFindings([cp.flagsDocument()], { context: [authn] })).toEqual([]);
  });
});

describe('kubeadm and kind renderings', () => {
  const app = newApp();
  const cp = controlPlane({ kind: { hostConfigDirectory: '/home/me/bulwark' } }, app);
  const files = cp.controlPlaneFiles();
  const [init, cluster, kubelet] = files['kubeadm-init.yaml'].documents as any[];

  test('kubeadm init carries every flag, the file mounts and the kubelet configuration', () => {
    expect(init).toEqual({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration', nodeRegistration: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } });
    expect(cluster.kubernetesVersion).toBe('stable-1.36');
    expect(cluster.controlPlaneEndpoint).toBe(ENDPOINT);
    expect(Object.fromEntries(cluster.apiServer.extraArgs.map((a: any) => [a.name, a.value]))).toEqual(cp.apiServerFlags);
    expect(cluster.apiServer.extraVolumes).toEqual([
      { name: 'bulwark-config', hostPath: '/etc/kubernetes/bulwark', mountPath: '/etc/kubernetes/bulwark', readOnly: true, pathType: 'Directory' },
      { name: 'audit-log', hostPath: '/var/log/kubernetes/audit', mountPath: '/var/log/kubernetes/audit', readOnly: false, pathType: 'DirectoryOrCreate' },
    ]);
    expect(kubelet).toEqual(cp.kubelet.toDocument());
  });

  test('1.3.2, 1.3.3, 1.3.7, 1.4.1, 1.4.2: controller manager and scheduler flags', () => {
    const args = (c: any) => Object.fromEntries(c.extraArgs.map((a: any) => [a.name, a.value]));
    expect(args(cluster.controllerManager)).toEqual({ profiling: 'false', 'bind-address': '127.0.0.1', 'use-service-account-credentials': 'true', 'terminated-pod-gc-threshold': '1000' });
    expect(args(cluster.scheduler)).toEqual({ profiling: 'false', 'bind-address': '127.0.0.1' });
  });

  test('kubeadm join references the token and CA hash, never holds them', () => {
    expect((files['kubeadm-join.yaml'].documents[0] as any).discovery).toEqual({
      bootstrapToken: { apiServerEndpoint: ENDPOINT, token: 'bulwark-secret:bootstrap-token:env:BULWARK_JOIN_TOKEN', caCertHashes: ['bulwark-secret:ca-cert-hash:env:BULWARK_CA_CERT_HASH'] },
    });
  });

  test('kind mounts the provisioned files into the control-plane node and patches kubeadm with the same flags and kubelet configuration', () => {
    const kind = files['kind-cluster.yaml'].documents[0] as any;
    expect(kind.nodes[0]).toEqual({ role: 'control-plane', extraMounts: [{ hostPath: '/home/me/bulwark', containerPath: '/etc/kubernetes/bulwark', readOnly: true }] });
    const [clusterPatch, kubeletPatch] = kind.kubeadmConfigPatches.map((p: string) => parse(p));
    expect(clusterPatch.apiServer).toEqual(cluster.apiServer);
    expect(kubeletPatch).toEqual(cp.kubelet.toDocument());
  });
});

describe('props are checked at once by the control-plane rules', () => {
  test('a weakening extra flag is refused, naming construct, prop, value, rule and fix', () => {
    expect(thrown(() => controlPlane({ apiServer: { extraFlags: { profiling: 'true' } } }))).toBe(
      'ControlPlane "control-plane": apiServer.extraFlags["profiling"] "true" is refused: kube-apiserver flag --profiling is "true": must be "false" (it defaults to true) (rule control-plane/apiserver-profiling). '
      + 'Set --profiling=false; turn it on for a debugging session only. Or add a Waiver of control-plane/apiserver-profiling with the reason.');
  });

  test('a waiver lets it through, and the files list the waiver', () => {
    const cp = controlPlane({ apiServer: { extraFlags: { profiling: 'true' } }, waivers: [Waiver.of('control-plane/apiserver-profiling', { reason: 'profiling a latency regression this week only', expires: '2026-12-01' })] });
    expect(cp.apiServerFlags.profiling).toBe('true');
    expect(cp.controlPlaneFiles()['kube-apiserver-flags.yaml'].header).toContain('Waived: control-plane/apiserver-profiling: profiling a latency regression this week only (expires 2026-12-01)');
  });

  test('non-waivable controls cannot be waived at all', () => {
    expect(thrown(() => Waiver.of('control-plane/apiserver-authorization', { reason: 'we want AlwaysAllow for a demo cluster' }))).toContain('cannot be waived');
    expect(thrown(() => controlPlane({ apiServer: { extraFlags: { 'authorization-mode': 'AlwaysAllow' } } }))).toContain('(rule control-plane/apiserver-authorization)');
    expect(thrown(() => controlPlane({ apiServer: { extraFlags: { 'token-auth-file': '/etc/tokens.csv' } } }))).toContain('(rule control-plane/apiserver-static-credentials)');
  });

  test('turning AlwaysPullImages off needs a waiver, and names the prop', () => {
    expect(thrown(() => controlPlane({ admission: { alwaysPullImages: false } }))).toMatch(/^ControlPlane "control-plane": admission.alwaysPullImages false is refused: .*AlwaysPullImages.*\(rule control-plane\/apiserver-admission-hardening\)/);
    const waived = controlPlane({ admission: { alwaysPullImages: false, waivers: [Waiver.of('control-plane/apiserver-admission-hardening', { reason: 'nodes pull only from the in-cluster mirror' })] } });
    expect(waived.apiServerFlags['enable-admission-plugins']).not.toContain('AlwaysPullImages');
  });

  test('an audit log kept shorter than CIS asks is refused', () => {
    expect(thrown(() => controlPlane({ audit: { backends: [AuditBackend.log({ maxAgeDays: 7 })] } }))).toContain('audit.backends');
  });

  test('weak cipher suites, a bad endpoint and relative directories are refused', () => {
    expect(thrown(() => controlPlane({ apiServer: { tlsCipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] } }))).toContain('(rule control-plane/apiserver-tls)');
    expect(thrown(() => controlPlane({ controlPlaneEndpoint: 'https://k8s.example.com' }))).toContain('controlPlaneEndpoint "https://k8s.example.com" is not "host:port"');
    expect(thrown(() => controlPlane({ configDirectory: 'etc/bulwark' }))).toContain('configDirectory "etc/bulwark" is not an absolute path');
  });

  test('a ControlPlane lives in a BulwarkApp', () => {
    expect(thrown(() => new ControlPlane(new App(), 'cp', { controlPlaneEndpoint: ENDPOINT }))).toContain('must be created in a BulwarkApp');
  });
});

/** A file construct that renders whatever it is given, unchecked: the synth-time check must still catch it. */
class RawKubelet extends ControlPlaneDocument {
  public readonly fileName = 'raw-kubelet.yaml';
  constructor(scope: Construct, id: string, private readonly doc: KubeObject) { super(scope, id, 'RawKubelet', {}); }
  public toDocument(): KubeObject { return this.doc; }
  protected headerLines(): string[] { return ['a hand-written kubelet configuration']; }
}

describe('synth', () => {
  const bad = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', readOnlyPort: 10255 };

  test('writes the files under <outdir>/control-plane/ and removes files an earlier synth left', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-cp-'));
    fs.mkdirSync(path.join(out, 'control-plane'));
    fs.writeFileSync(path.join(out, 'control-plane', 'shop-data.kubeadm-join.yaml'), 'stale');
    const app = newApp();
    controlPlane({}, app);
    const written = writeControlPlaneFiles(app, out).map((f) => path.basename(f));
    expect(written).toContain('kube-apiserver-flags.yaml');
    expect(fs.readdirSync(path.join(out, 'control-plane')).sort()).toEqual(written.sort());
    expect(fs.readFileSync(path.join(out, 'control-plane', 'kubelet-configuration.yaml'), 'utf8')).toMatch(/^# Kubelet configuration/);
  });

  test('fails on an unwaived finding in any file, listing it with the file, rule and fix', () => {
    const app = newApp();
    controlPlane({}, app);
    new RawKubelet(app, 'raw', bad);
    const message = thrown(() => renderControlPlaneFiles(app));
    expect(message).toContain('control-plane/raw-kubelet.yaml: KubeletConfiguration [control-plane/kubelet-read-only-port] read-only port open');
    expect(message).toContain('[control-plane/kubelet-authorization]');
    expect(thrown(() => app.synth())).toContain('raw-kubelet.yaml: KubeletConfiguration [control-plane/kubelet-read-only-port]');
  });

  test('two constructs writing one file is an error', () => {
    const app = newApp();
    controlPlane({}, app);
    new RawKubelet(app, 'one', bad);
    new RawKubelet(app, 'two', bad);
    expect(thrown(() => renderControlPlaneFiles(app))).toContain('both write control-plane/raw-kubelet.yaml');
  });
});
