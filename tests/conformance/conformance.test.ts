/**
 * kube-score (every optional test on), Checkov (every Kubernetes check), Trivy (its embedded
 * Kubernetes misconfiguration checks, offline) and np-guard's
 * netpol-analyzer on every reference cluster (dist/<cluster>/, all charts together): zero findings unless a Bulwark Waiver maps to the tool's
 * check id, and connectivity equal to exactly what the stack declares (DNS aside).
 */
import { checkov, kubeScore, netpol, synthesizeStacks, trivy } from './helpers/scanners';

const stacks = synthesizeStacks();

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  test.each([['kube-score', kubeScore], ['Checkov', checkov], ['Trivy', trivy]] as const)('%s: zero unwaived findings with every check enabled', (_tool, scan) => {
    const report = scan(stack);
    expect(report.checksRun).toBeGreaterThan(20);
    // Disagreements on purpose, each set aside narrowly, by check, kind and object, and counted:
    // 1. kube-score networkpolicy-targets-pod: an IsolatedNamespace that runs no pods yet (the
    //    guardrails' clock namespace) still gets its default-deny and DNS policies, so that a pod
    //    that appears later (kubectl run, a Helm chart) is fenced in at once.
    // 2. Trivy KSV048/KSV049/KSV056 ("manage workloads / configmaps / networking") on a team's
    //    gitops-deployer Role: a GitOps deployer must write the team's workloads, ConfigMaps,
    //    Services and Ingresses, in its own namespace only, never Secrets, RBAC or NetworkPolicies
    //    (TeamStack; rbac/no-cross-namespace-workloads and the other RBAC rules hold it there).
    // 3. Trivy KSV036 on a workload whose pod template sets automountServiceAccountToken: false
    //    and mounts a projected, hour-long, audience-bound token (a workload with grants): Trivy
    //    reads the field on the Deployment's own spec and then flags the token path; Checkov's
    //    CKV_K8S_38 and Bulwark's workloads/service-account-token agree the pod is right.
    const podNamespaces = new Set(stack.objects.filter((o) => o.spec?.template || o.spec?.jobTemplate || o.kind === 'Pod').map((o) => o.metadata?.namespace));
    const byRef = (f: { kind: string; namespace?: string; name: string }) => stack.objects.find((o) => o.kind === f.kind && o.metadata?.name === f.name && (o.metadata?.namespace ?? undefined) === (f.namespace || undefined));
    const projectedToken = (o: any) => o?.spec?.template?.spec?.automountServiceAccountToken === false
      && (o.spec.template.spec.volumes ?? []).some((v: any) => (v.projected?.sources ?? []).some((src: any) => src.serviceAccountToken?.expirationSeconds <= 3600 && src.serviceAccountToken?.audience));
    const setAsideRules: Array<(f: { tool: string; check: string; kind: string; namespace?: string; name: string }) => boolean> = [
      (f) => f.tool === 'kube-score' && f.check === 'networkpolicy-targets-pod' && f.kind === 'NetworkPolicy' && ['default-deny', 'allow-cluster-dns'].includes(f.name) && !podNamespaces.has(f.namespace),
      (f) => f.tool === 'Trivy' && ['KSV048', 'KSV049', 'KSV056'].includes(f.check) && f.kind === 'Role' && f.name === 'gitops-deployer'
        && stack.objects.some((o) => o.kind === 'Namespace' && o.metadata?.name === f.namespace && o.metadata?.labels?.['bulwark.dev/team']),
      (f) => f.tool === 'Trivy' && f.check === 'KSV036' && projectedToken(byRef(f)),
    ];
    const setAside = (f: any) => setAsideRules.some((r) => r(f));
    const teamNamespaces = stack.objects.filter((o) => o.kind === 'Namespace' && o.metadata?.labels?.['bulwark.dev/team']).length;
    expect(report.findings.filter(setAside).length).toBeLessThanOrEqual(2 * stack.objects.filter((o) => o.kind === 'Namespace').length + 5 * teamNamespaces + 1);
    expect(report.findings.filter((f) => !f.waiver && !setAside(f)).map((f) => `${f.check} ${f.kind} ${f.namespace ?? ''}/${f.name}: ${f.message}`)).toEqual([]);
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
