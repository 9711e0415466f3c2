import { KubeletConfiguration, Waiver } from '../constructs';
import { controlPlaneFindings } from '../constructs/control-plane-file';
import { STRONG_CIPHER_SUITES } from '../policy/rules/control-plane/hardening';
import { newApp } from './helpers';

const make = (props: ConstructorParameters<typeof KubeletConfiguration>[2] = {}) => new KubeletConfiguration(newApp(), 'kubelet', props);

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('defaults, one assertion per CIS control', () => {
  const doc = make().toDocument();

  test('matches the snapshot and has no finding', () => {
    expect(doc).toMatchSnapshot();
    expect(controlPlaneFindings([doc])).toEqual([]);
  });
  test('4.2.1, 4.2.3: no anonymous requests; clients by the cluster CA or a reviewed token', () => {
    expect(doc.authentication).toEqual({ anonymous: { enabled: false }, webhook: { enabled: true, cacheTTL: '2m0s' }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } });
  });
  test('4.2.2: the API server authorizes every request', () => {
    expect(doc.authorization).toEqual({ mode: 'Webhook' });
  });
  test('4.2.4: no read-only port', () => {
    expect(doc.readOnlyPort).toBe(0);
  });
  test('4.2.5: idle streams close after five minutes', () => {
    expect(doc.streamingConnectionIdleTimeout).toBe('5m0s');
  });
  test('4.2.6 (and v1.24 4.2.6), 4.2.14: iptables chains managed, kernel defaults protected, RuntimeDefault seccomp', () => {
    expect(doc).toMatchObject({ makeIPTablesUtilChains: true, protectKernelDefaults: true, seccompDefault: true });
  });
  test('4.2.8: events rate-limited', () => {
    expect(doc.eventRecordQPS).toBe(50);
  });
  test('4.2.9 to 4.2.12: certificates rotated, serving certificate from the cluster CA, strong TLS', () => {
    expect(doc).toMatchObject({ rotateCertificates: true, serverTLSBootstrap: true, tlsMinVersion: 'VersionTLS12', tlsCipherSuites: [...STRONG_CIPHER_SUITES] });
  });
  test('4.2.13: PIDs per pod capped', () => {
    expect(doc.podPidsLimit).toBe(4096);
  });
});

test('a weakening prop or override is refused, naming it and the rule', () => {
  expect(thrown(() => make({ overrides: { readOnlyPort: 10255 } }))).toBe(
    'KubeletConfiguration "kubelet": readOnlyPort 10255 is refused: KubeletConfiguration readOnlyPort is 10255: must be 0 (rule control-plane/kubelet-read-only-port). '
    + 'Set readOnlyPort: 0 (or leave it out: 0 is the default of kubelet.config.k8s.io/v1beta1).');
  expect(thrown(() => make({ streamingConnectionIdleTimeout: '0s' }))).toContain('(rule control-plane/kubelet-limits)');
  expect(thrown(() => make({ tlsCipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] }))).toContain('must not list TLS_RSA_WITH_AES_128_CBC_SHA (rule control-plane/kubelet-tls)');
  expect(thrown(() => make({ overrides: { authorization: { mode: 'AlwaysAllow' } } }))).toContain('(rule control-plane/kubelet-authorization)');
});

test('protectKernelDefaults can be turned off only with a waiver (e.g. a laptop kind cluster)', () => {
  expect(thrown(() => make({ protectKernelDefaults: false }))).toContain('protectKernelDefaults false is refused');
  const k = make({ protectKernelDefaults: false, waivers: [Waiver.of('control-plane/kubelet-kernel-hardening', { reason: 'kind on a laptop: the Docker VM kernel settings are not ours', expires: '2027-06-30' })] });
  expect(k.toDocument().protectKernelDefaults).toBe(false);
});
