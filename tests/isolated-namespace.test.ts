import { JsonPatch } from 'cdk8s';
import * as yaml from 'yaml';
import { IsolatedNamespace, Port, SecureWorkload, Waiver } from '../constructs';
import '../policy/testing';
import { byKind, container, newChart, NOW, synth, synthError } from './helpers';

describe('defaults', () => {
  const chart = newChart();
  new IsolatedNamespace(chart, 'team-a');
  const objects = synth(chart);

  test('synthesizes the same manifests as the snapshot', () => {
    expect(yaml.stringify(objects)).toMatchSnapshot();
  });

  test('has no findings', () => {
    expect(objects).toHaveNoFindings({ now: NOW });
  });

  test('enforces restricted pinned to the target minor; audits and warns restricted at latest', () => {
    expect(byKind(objects, 'Namespace').metadata!.labels).toEqual({
      // Read by the cluster guardrails: production namespaces take only pinned, trusted images.
      'bulwark.dev/environment': 'production',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.36',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
  });

  test('denies all ingress and egress by default', () => {
    expect(byKind(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('allows DNS egress to the cluster DNS pods only, never to the metadata endpoint', () => {
    const dns = byKind(objects, 'NetworkPolicy', 'allow-cluster-dns').spec;
    expect(dns.policyTypes).toEqual(['Egress']);
    expect(dns.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    const ipBlocks = objects.filter((o) => o.kind === 'NetworkPolicy').flatMap((o) => (o.spec.egress ?? []).flatMap((e: any) => e.to)).filter((t: any) => t.ipBlock);
    expect(ipBlocks).toEqual([]);
  });

  test('bounds resources with a quota (no LoadBalancer or NodePort) and container defaults', () => {
    const hard = byKind(objects, 'ResourceQuota').spec.hard;
    expect(hard['services.loadbalancers']).toBe('0');
    expect(hard['services.nodeports']).toBe('0');
    for (const k of ['requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods']) {
      expect(hard[k]).toBeDefined();
    }
    const lr = byKind(objects, 'LimitRange').spec.limits[0];
    expect(Object.keys(lr.default).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    expect(Object.keys(lr.defaultRequest).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
  });

  test('turns off token automount on the default ServiceAccount', () => {
    expect(byKind(objects, 'ServiceAccount', 'default').automountServiceAccountToken).toBe(false);
  });
});

test('pins enforce-version to the chart\'s target minor', () => {
  const chart = newChart({ kubernetesVersion: '1.37' });
  new IsolatedNamespace(chart, 'team-a');
  expect(byKind(synth(chart), 'Namespace').metadata!.labels!['pod-security.kubernetes.io/enforce-version']).toBe('v1.37');
});

test('can raise one quota entry and keep the other defaults', () => {
  const chart = newChart();
  new IsolatedNamespace(chart, 'team-a', { quota: { pods: '20' } });
  const hard = byKind(synth(chart), 'ResourceQuota').spec.hard;
  expect(hard.pods).toBe('20');
  expect(hard['services.nodeports']).toBe('0');
});

test('opens a namespace-wide egress rule when a namespace is the client of a workload', () => {
  const chart = newChart();
  const a = new IsolatedNamespace(chart, 'team-a');
  const b = new IsolatedNamespace(chart, 'team-b');
  const api = new SecureWorkload(chart, 'api', { namespace: b, containers: [container({ ports: [Port.tcp(8443)] })] });
  api.allowFrom(a, Port.tcp(8443));
  const np = synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'declared-connections')!;
  expect(np.metadata!.namespace).toBe('team-a');
  expect(np.spec.egress).toEqual([{ to: [api.toNetworkPolicyPeer()], ports: [{ protocol: 'TCP', port: 8443 }] }]);
});

describe('fails when', () => {
  test.each(['default', 'kube-system', 'kube-public'])('the namespace is the shared "%s"', (name) => {
    expect(() => new IsolatedNamespace(newChart(), name))
      .toThrow(`IsolatedNamespace "${name}": name "${name}" is a shared system namespace and cannot be isolated (rule namespaces/no-default-namespace). Choose a namespace of your own, e.g. "team-payments".`);
  });

  test('the name is not a valid namespace name', () => {
    expect(() => new IsolatedNamespace(newChart(), 'Team_A')).toThrow('IsolatedNamespace "Team_A": name "Team_A" is not a valid Kubernetes name.');
  });

  test('the target Kubernetes minor is past end of life', () => {
    expect(() => newChart({ kubernetesVersion: '1.33' }))
      .toThrow('BulwarkChart "test": kubernetesVersion "1.33" is past end of life (end of life since 2026-06-28) and gets no security patches. Use one of: 1.35, 1.36, 1.37. (rule namespaces/pod-security-labels)');
    expect(() => newChart({ kubernetesVersion: '1.20' })).toThrow(/kubernetesVersion "1.20" is past end of life and gets no security patches/);
  });

  test('the target Kubernetes minor is unknown or malformed', () => {
    expect(() => newChart({ kubernetesVersion: '1.40' })).toThrow(/kubernetesVersion "1.40" is newer than any minor Bulwark knows \(newest: 1.37\)/);
    expect(() => newChart({ kubernetesVersion: 'latest' })).toThrow(/"latest" is not a Kubernetes version/);
  });

  test('a patch weakens Pod Security enforcement', () => {
    const chart = newChart();
    const ns = new IsolatedNamespace(chart, 'team-a');
    ns.resource.addJsonPatch(JsonPatch.replace('/metadata/labels/pod-security.kubernetes.io~1enforce', 'privileged'));
    expect(synthError(chart)).toContain('[namespaces/pod-security-labels] Pod Security not enforced: namespace enforces "privileged" instead of "restricted"');
  });

  test('a quota entry is empty', () => {
    expect(() => new IsolatedNamespace(newChart(), 'team-a', { quota: { pods: '' } })).toThrow('IsolatedNamespace "team-a": quota["pods"] "" is not a quantity (rule workloads/resources). Give every quota entry a quantity, e.g. "4" or "8Gi".');
    expect(() => new IsolatedNamespace(newChart(), 'team-b', { quota: { pods: 'lots' } })).toThrow(/quota\["pods"\] "lots" is not a quantity/);
  });

  test('the quota allows NodePort or LoadBalancer Services without a waiver', () => {
    expect(() => new IsolatedNamespace(newChart(), 'team-a', { quota: { 'services.nodeports': '2' } }))
      .toThrow('IsolatedNamespace "team-a": quota["services.nodeports"] "2" is refused: ResourceQuota allows 2 NodePort Services (rule network/no-external-services).');
    const ok = new IsolatedNamespace(newChart(), 'edge', { quota: { 'services.loadbalancers': '1' }, waivers: [Waiver.of('network/no-external-services', { reason: 'the edge namespace hosts the public load balancer', owner: 'platform' })] });
    expect(ok.name).toBe('edge');
  });
});
