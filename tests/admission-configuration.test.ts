import { AdmissionConfiguration, Waiver } from '../constructs';
import { controlPlaneFindings } from '../constructs/control-plane-file';
import { newApp } from './helpers';

const make = (props: ConstructorParameters<typeof AdmissionConfiguration>[2] = {}) => new AdmissionConfiguration(newApp(), 'admission', props);
const podSecurity = (a: AdmissionConfiguration) => (a.toDocument().plugins as any[]).find((p) => p.name === 'PodSecurity').configuration;

function thrown(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  throw new Error('expected an error');
}

describe('defaults', () => {
  const a = make();

  test('matches the snapshot and has no finding', () => {
    expect(a.toDocument()).toMatchSnapshot();
    expect(controlPlaneFindings([a.toDocument()])).toEqual([]);
  });

  test('CIS 5.2.1: every namespace without labels enforces baseline (pinned to the target minor), audits and warns restricted', () => {
    expect(podSecurity(a).defaults).toEqual({ enforce: 'baseline', 'enforce-version': 'v1.36', audit: 'restricted', 'audit-version': 'latest', warn: 'restricted', 'warn-version': 'latest' });
  });

  test('only kube-system is exempt, by namespace', () => {
    expect(podSecurity(a).exemptions).toEqual({ usernames: [], runtimeClasses: [], namespaces: ['kube-system'] });
  });

  test('CIS 1.2.9: EventRateLimit limits per namespace and per user', () => {
    const erl = (a.toDocument().plugins as any[]).find((p) => p.name === 'EventRateLimit').configuration;
    expect(erl.apiVersion).toBe('eventratelimit.admission.k8s.io/v1alpha1');
    expect(erl.limits.map((l: any) => l.type)).toEqual(['Namespace', 'User']);
  });

  test('turns on NodeRestriction, PodSecurity, ValidatingAdmissionPolicy and the hardening plugins through kube-apiserver flags', () => {
    expect(a.apiServerFlags('/etc/kubernetes/bulwark')).toEqual({
      'enable-admission-plugins': 'NamespaceLifecycle,ServiceAccount,NodeRestriction,PodSecurity,ValidatingAdmissionPolicy,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs',
      'admission-control-config-file': '/etc/kubernetes/bulwark/admission-configuration.yaml',
    });
  });
});

test('can enforce restricted everywhere', () => {
  expect(podSecurity(make({ enforce: 'restricted' })).defaults.enforce).toBe('restricted');
});

test('cannot enforce less than baseline', () => {
  expect(thrown(() => make({ enforce: 'privileged' as any }))).toBe(
    'AdmissionConfiguration "admission": enforce "privileged" is refused: PodSecurity defaults enforce "privileged": must be baseline or restricted (rule control-plane/pod-security-defaults). '
    + 'Embed a PodSecurityConfiguration in the AdmissionConfiguration with defaults enforce: baseline (or restricted), audit: restricted, warn: restricted.');
});

test('exempting another namespace needs a waiver', () => {
  expect(thrown(() => make({ exemptNamespaces: ['kube-system', 'monitoring'] }))).toMatch(/^AdmissionConfiguration "admission": exemptNamespaces \["kube-system","monitoring"\] is refused: .*"monitoring".*\(rule control-plane\/pod-security-exemptions\)/);
  const waived = make({ exemptNamespaces: ['kube-system', 'cni'], waivers: [Waiver.of('control-plane/pod-security-exemptions', { reason: 'the CNI daemonset needs host networking', owner: 'platform' })] });
  expect(podSecurity(waived).exemptions.namespaces).toEqual(['kube-system', 'cni']);
  expect(waived.controlPlaneFiles()['admission-configuration.yaml'].header).toContain('Waived: control-plane/pod-security-exemptions: the CNI daemonset needs host networking (owner platform)');
});
