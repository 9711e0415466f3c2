/**
 * kube-score (every optional test on), Checkov (every Kubernetes check) and np-guard's
 * netpol-analyzer on every reference cluster (dist/<cluster>/, all charts together): zero findings unless a Bulwark Waiver maps to the tool's
 * check id, and connectivity equal to exactly what the stack declares (DNS aside).
 */
import { checkov, kubeScore, netpol, synthesizeStacks } from './helpers/scanners';

const stacks = synthesizeStacks();

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  test.each([['kube-score', kubeScore], ['Checkov', checkov]] as const)('%s: zero unwaived findings with every check enabled', (_tool, scan) => {
    const report = scan(stack);
    expect(report.checksRun).toBeGreaterThan(20);
    // One disagreement on purpose: an IsolatedNamespace that runs no pods yet (the guardrails'
    // clock namespace) still gets its default-deny and DNS policies, so that a pod that appears
    // later (kubectl run, a Helm chart) is fenced in at once. kube-score calls a policy that
    // selects no pod pointless; it is the fence, so only that check, on only those two policies
    // of only pod-less namespaces, is set aside here, and counted.
    const podNamespaces = new Set(stack.objects.filter((o) => o.spec?.template || o.spec?.jobTemplate || o.kind === 'Pod').map((o) => o.metadata?.namespace));
    const fence = (f: { check: string; kind: string; namespace?: string; name: string }) => f.check === 'networkpolicy-targets-pod' && f.kind === 'NetworkPolicy'
      && ['default-deny', 'allow-cluster-dns'].includes(f.name) && !podNamespaces.has(f.namespace);
    const setAside = report.findings.filter(fence);
    expect(setAside.length).toBeLessThanOrEqual(2 * stack.objects.filter((o) => o.kind === 'Namespace' && !podNamespaces.has(o.metadata?.name)).length);
    expect(report.findings.filter((f) => !f.waiver && !fence(f)).map((f) => `${f.check} ${f.kind} ${f.namespace ?? ''}/${f.name}: ${f.message}`)).toEqual([]);
  });

  test('netpol-analyzer: the allowed connections are exactly the declared ones, DNS aside', () => {
    const actual = netpol(stack);
    const declared = stack.connections;
    expect(actual.connections).toEqual(declared.connections);
    expect(actual.ingressExposure).toEqual(declared.ingressExposure);
    const dns = /^\S+ -> kube-system\/\[pod with \{k8s-app=kube-dns\}\] TCP 53,UDP 53$/;
    expect(actual.egressExposure.filter((e) => !dns.test(e))).toEqual(declared.egress);
    // Every workload can resolve names, and nothing else leaves the stack.
    const workloads = stack.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
    expect(actual.egressExposure.filter((e) => dns.test(e))).toHaveLength(workloads.length);
  });
});

test('a waiver maps to a tool check only through its rule\'s references', async () => {
  const { waiverFor } = await import('./helpers/scanners');
  const objects = [{
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'api', namespace: 'team-a', annotations: { 'bulwark.dev/waivers': JSON.stringify([{ rule: 'images/digest-pinned', reason: 'vendor image has no digest yet, ticket SEC-12' }]) } },
  }];
  expect(waiverFor('kube-score', 'container-image-tag', 'Deployment', 'team-a', 'api', objects)?.rule).toBe('images/digest-pinned');
  expect(waiverFor('Checkov', 'CKV_K8S_43', 'Deployment', 'team-a', 'api', objects)?.rule).toBe('images/digest-pinned');
  expect(waiverFor('Checkov', 'CKV_K8S_20', 'Deployment', 'team-a', 'api', objects)).toBeUndefined();
  expect(waiverFor('kube-score', 'container-image-tag', 'Deployment', 'team-a', 'web', objects)).toBeUndefined();
});
