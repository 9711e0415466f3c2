/**
 * Property: random JSON patches and raw objects applied to a compliant App either leave it
 * compliant, as judged by an oracle written here independently of the rule catalog, or make synth
 * fail naming a rule. Seeded, so a failure reproduces; fast-check prints the counterexample.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as fc from 'fast-check';
import { BulwarkChart, IsolatedNamespace, SecureWorkload } from '../constructs';
import { KubeObject } from '../policy';
import { container, newApp } from './helpers';

const DIGEST = `registry.example.com/team/app@sha256:${'cd'.repeat(32)}`;
const POD = '/spec/template/spec';
const C0 = `${POD}/containers/0`;

/** Patches someone who wants a privileged pod would try, and a few harmless ones. */
const PATCHES: ReadonlyArray<() => JsonPatch> = [
  () => JsonPatch.add(`${POD}/hostNetwork`, true),
  () => JsonPatch.add(`${POD}/hostPID`, true),
  () => JsonPatch.add(`${POD}/hostIPC`, true),
  () => JsonPatch.add(`${POD}/hostUsers`, true),
  () => JsonPatch.add(`${C0}/securityContext/privileged`, true),
  () => JsonPatch.replace(`${C0}/securityContext/allowPrivilegeEscalation`, true),
  () => JsonPatch.add(`${C0}/securityContext/capabilities/add`, ['SYS_ADMIN']),
  () => JsonPatch.add(`${C0}/securityContext/capabilities/add`, ['NET_RAW']),
  () => JsonPatch.replace(`${C0}/securityContext/capabilities/drop`, []),
  () => JsonPatch.add(`${C0}/securityContext/runAsUser`, 0),
  () => JsonPatch.add(`${C0}/securityContext/runAsNonRoot`, false),
  () => JsonPatch.remove(`${POD}/securityContext`),
  () => JsonPatch.remove(`${C0}/securityContext`),
  () => JsonPatch.add(`${POD}/securityContext/seccompProfile`, { type: 'Unconfined' }),
  () => JsonPatch.add(`${C0}/securityContext/procMount`, 'Unmasked'),
  () => JsonPatch.add(`${POD}/volumes/-`, { name: 'root', hostPath: { path: '/' } }),
  () => JsonPatch.add(`${C0}/ports/-`, { containerPort: 8080, hostPort: 8080 }),
  () => JsonPatch.add(`${POD}/automountServiceAccountToken`, true),
  () => JsonPatch.replace(`${POD}/serviceAccountName`, 'default'),
  () => JsonPatch.replace(`${C0}/image`, 'nginx:latest'),
  () => JsonPatch.replace(`${C0}/image`, `evil.example.net/x@sha256:${'ab'.repeat(32)}`),
  () => JsonPatch.add(`${POD}/tolerations`, [{ operator: 'Exists' }]),
  () => JsonPatch.add(`${POD}/initContainers`, [{ name: 'init', image: DIGEST, securityContext: { privileged: true } }]),
  () => JsonPatch.add(`${POD}/securityContext/sysctls`, [{ name: 'kernel.shm_rmid_forced', value: '0' }]),
  () => JsonPatch.add('/metadata/annotations', { 'bulwark.dev/waivers': JSON.stringify([{ rule: 'pod-security/privileged', reason: 'short' }]) }),
  // Harmless: a compliant App with these must still synthesize.
  () => JsonPatch.add('/spec/template/metadata/labels/team', 'payments'),
  () => JsonPatch.add(`${POD}/terminationGracePeriodSeconds`, 45),
  () => JsonPatch.replace(`${C0}/image`, DIGEST),
];

/** A raw pod someone adds in a plain Chart: every field is optional, each is dangerous or safe. */
const rawPod = fc.record({
  privileged: fc.boolean(), hostNetwork: fc.boolean(), root: fc.boolean(), hostPath: fc.boolean(), escalation: fc.boolean(),
  seccomp: fc.constantFrom('RuntimeDefault', 'Unconfined', undefined), drop: fc.boolean(), kind: fc.constantFrom('Pod', 'Deployment', 'Rollout', 'List'),
}).map((r): KubeObject => {
  const spec = {
    serviceAccountName: 'raw', automountServiceAccountToken: false,
    ...(r.hostNetwork ? { hostNetwork: true } : {}),
    securityContext: { runAsNonRoot: !r.root, runAsUser: r.root ? 0 : 20000, runAsGroup: 20000, ...(r.seccomp ? { seccompProfile: { type: r.seccomp } } : {}) },
    containers: [{
      name: 'c', image: DIGEST,
      securityContext: { privileged: r.privileged, allowPrivilegeEscalation: r.escalation, readOnlyRootFilesystem: true, ...(r.drop ? { capabilities: { drop: ['ALL'] } } : {}) },
    }],
    ...(r.hostPath ? { volumes: [{ name: 'h', hostPath: { path: '/var/run' } }] } : {}),
  };
  const meta = { name: 'raw', namespace: 'team-a', labels: { app: 'raw' } };
  if (r.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec };
  if (r.kind === 'List') return { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec }] };
  const template = { metadata: { labels: { app: 'raw' } }, spec };
  return r.kind === 'Deployment'
    ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { selector: { matchLabels: { app: 'raw' } }, template } }
    : { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { selector: { matchLabels: { app: 'raw' } }, template } };
});

/** Namespace and network objects someone adds to open the boundary. */
const rawBoundary = fc.constantFrom<KubeObject>(
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'open', namespace: 'team-a' }, spec: { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'out', namespace: 'team-a' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], policyTypes: ['Egress'] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'team-a' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'team-a' }, spec: { externalIPs: ['203.0.113.9'], ports: [{ port: 443 }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' }] },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'harmless', namespace: 'team-a' }, data: { a: 'b' } },
);

/** Pod specs anywhere in an object: containers arrays of objects, the way kubelet would run them. */
function podSpecs(o: unknown, out: any[] = []): any[] {
  if (Array.isArray(o)) o.forEach((x) => podSpecs(x, out));
  else if (o && typeof o === 'object') {
    if (Array.isArray((o as any).containers)) out.push(o);
    Object.values(o).forEach((v) => podSpecs(v, out));
  }
  return out;
}

/** The oracle: what "restricted, hardened and isolated" means, written without the catalog. */
function weaknesses(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    for (const pod of podSpecs(o)) {
      const psc = pod.securityContext ?? {};
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push(`${o.kind}: host namespace`);
      if ((pod.volumes ?? []).some((v: any) => v.hostPath)) out.push(`${o.kind}: hostPath`);
      if ((psc.sysctls ?? []).length > 0) out.push(`${o.kind}: sysctls`);
      if (pod.automountServiceAccountToken !== false) out.push(`${o.kind}: token automount`);
      if (!pod.serviceAccountName || pod.serviceAccountName === 'default') out.push(`${o.kind}: default service account`);
      if ((pod.tolerations ?? []).some((t: any) => t.operator === 'Exists' && !t.key)) out.push(`${o.kind}: tolerates everything`);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const sc = c.securityContext ?? {};
        if (sc.privileged) out.push(`${o.kind}/${c.name}: privileged`);
        if (sc.allowPrivilegeEscalation !== false) out.push(`${o.kind}/${c.name}: escalation`);
        if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${o.kind}/${c.name}: capabilities not dropped`);
        if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) out.push(`${o.kind}/${c.name}: capabilities added`);
        if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true || (sc.runAsUser ?? psc.runAsUser) === 0) out.push(`${o.kind}/${c.name}: root`);
        const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
        if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${o.kind}/${c.name}: seccomp ${seccomp}`);
        if (sc.procMount && sc.procMount !== 'Default') out.push(`${o.kind}/${c.name}: procMount`);
        if ((c.ports ?? []).some((p: any) => p.hostPort)) out.push(`${o.kind}/${c.name}: hostPort`);
        if (!/^registry\.example\.com\/[^@]+@sha256:[0-9a-f]{64}$/.test(c.image)) out.push(`${o.kind}/${c.name}: image ${c.image}`);
      }
    }
    if (o.kind === 'Namespace' && o.metadata?.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') out.push('Namespace: not restricted');
    if (o.kind === 'NetworkPolicy') {
      if ((o.spec.ingress ?? []).some((r: any) => !r.from || r.from.length === 0)) out.push('NetworkPolicy: ingress from anywhere');
      if ((o.spec.egress ?? []).some((r: any) => (r.to ?? []).some((p: any) => p.ipBlock && !(p.ipBlock.except ?? []).includes('169.254.169.254/32')))) out.push('NetworkPolicy: metadata reachable');
    }
    if (o.kind === 'Service' && (['LoadBalancer', 'NodePort'].includes(o.spec?.type) || (o.spec?.externalIPs ?? []).length > 0)) out.push('Service: exposed');
    if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') {
      if (['cluster-admin', 'admin', 'edit'].includes(o.roleRef?.name) || (o.subjects ?? []).some((s: any) => String(s.name).startsWith('system:'))) out.push(`${o.kind}: privileged binding`);
    }
  }
  return out;
}

const attack = fc.record({
  patches: fc.array(fc.integer({ min: 0, max: PATCHES.length - 1 }), { maxLength: 3 }),
  raw: fc.option(fc.oneof(rawPod, rawBoundary), { nil: undefined }),
});

test('random patches and raw objects either stay compliant or fail synth naming a rule', () => {
  let failed = 0;
  let passed = 0;
  fc.assert(fc.property(attack, ({ patches, raw }) => {
    const app = newApp();
    const chart = new BulwarkChart(app, 'team');
    const ns = new IsolatedNamespace(chart, 'team-a');
    const w = new SecureWorkload(chart, 'api', { namespace: ns, containers: [container()] });
    for (const i of patches) w.resource.addJsonPatch(PATCHES[i]());
    if (raw) new ApiObject(new Chart(app, 'plain'), 'raw', raw);
    let objects: KubeObject[];
    try {
      objects = app.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json));
    } catch (e) {
      failed++;
      // A refusal names the rule (or the duplicate) that refuses it, or the patch that cannot apply.
      expect((e as Error).message).toMatch(/\[[a-z-]+\/[a-z-]+\]|two objects are|^Failed serializing construct/);
      return;
    }
    passed++;
    const flat = objects.flatMap((o) => (o.kind === 'List' ? o.items : [o]));
    expect(weaknesses(flat)).toEqual([]);
  }), { seed: 7, numRuns: 400 });
  // Both outcomes were exercised: the property is not vacuous.
  expect(failed).toBeGreaterThan(50);
  expect(passed).toBeGreaterThan(20);
});
