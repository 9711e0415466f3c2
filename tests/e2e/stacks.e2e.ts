/**
 * Every shipped stack, applied to a real kube-apiserver with server-side apply: zero Pod Security
 * warnings, every pod template admitted as a Pod under enforce=restricted, and a corpus of bad pods
 * rejected exactly where Bulwark's own engine flags them.
 */
import { evaluate, KubeObject } from '../../policy';
import { DEFAULT_KUBERNETES_VERSION } from '../../policy/kubernetes-versions';
import { shippedStacks } from '../../stacks/app';
import { applyAll, ApiResult, deniedByPodSecurity, dryRunCreate, podFromTemplate } from './helpers/kube';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { BAD_MUTATIONS, GOOD_MUTATIONS, mutate } from './helpers/pod-corpus';

const stacks = shippedStacks();

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  let applied: Array<{ object: KubeObject; result: ApiResult }> = [];
  beforeAll(async () => {
    await ensureHttpRouteCrd(stack.objects);
    applied = await applyAll(stack.objects);
  });

  test('every object is accepted by server-side apply', () => {
    const failed = applied.filter((a) => a.result.status !== 200 && a.result.status !== 201)
      .map((a) => `${a.object.kind} ${a.object.metadata?.name}: ${a.result.status} ${a.result.body?.message ?? ''}`);
    expect(failed).toEqual([]);
    expect(applied).toHaveLength(stack.objects.length);
  });

  test('autoscalers, claims, ingresses and routes are stored as applied', () => {
    const kinds = ['HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'Ingress', 'HTTPRoute', 'StatefulSet', 'DaemonSet', 'CronJob'];
    const wanted = stack.objects.filter((o) => kinds.includes(o.kind));
    const stored = applied.filter((a) => kinds.includes(a.object.kind) && (a.result.status === 200 || a.result.status === 201) && a.result.body?.metadata?.uid);
    expect(stored.map((a) => `${a.object.kind}/${a.object.metadata?.name}`)).toEqual(wanted.map((o) => `${o.kind}/${o.metadata?.name}`));
    if (stack.name === 'storefront') expect(new Set(wanted.map((o) => o.kind))).toEqual(new Set(['HorizontalPodAutoscaler', 'Ingress', 'HTTPRoute', 'StatefulSet', 'DaemonSet', 'CronJob']));
  });

  test('the API server returns zero warnings (Pod Security included)', () => {
    expect(applied.flatMap((a) => a.result.warnings.map((w) => `${a.object.kind} ${a.object.metadata?.name}: ${w}`))).toEqual([]);
  });

  test('every pod template, created as a dry-run Pod, is admitted under enforce=restricted', async () => {
    const pods = stack.objects.map(podFromTemplate).filter((p): p is KubeObject => p !== undefined);
    // The platform chart runs no pods (guardrails, pools, control plane); every team's does.
    if (stack.name === 'platform') { expect(pods).toEqual([]); return; }
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      const r = await dryRunCreate(pod);
      expect(`${pod.metadata!.name}: ${r.status} ${r.body?.message ?? ''} ${r.warnings.join('; ')}`.trim()).toBe(`${pod.metadata!.name}: 201`);
    }
  });

  test('the namespaces really enforce restricted: bad pods are rejected exactly where the engine flags them', async () => {
    const template = stack.objects.map(podFromTemplate).find((p): p is KubeObject => p !== undefined)!;
    if (stack.name === 'platform') { expect(template).toBeUndefined(); return; }
    const cases = [
      ...Object.entries(BAD_MUTATIONS).map(([n, m]) => ({ pod: mutate(template, `bad-${n}`, m), bad: true })),
      ...Object.entries(GOOD_MUTATIONS).map(([n, m]) => ({ pod: mutate(template, `good-${n}`, m), bad: false })),
    ];
    const disagreements: string[] = [];
    for (const c of cases) {
      const r = await dryRunCreate(c.pod);
      if (r.status !== 201 && r.status !== 403) {
        disagreements.push(`${c.pod.metadata!.name}: the API server answered ${r.status}: ${r.body?.message ?? ''}`);
        continue;
      }
      const cluster = deniedByPodSecurity(r);
      const engine = evaluate([c.pod], { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, packs: ['pss-restricted'] }).length > 0;
      if (cluster !== c.bad || engine !== c.bad) {
        disagreements.push(`${c.pod.metadata!.name}: expected ${c.bad ? 'denied' : 'admitted'}, cluster ${cluster ? 'denied' : 'admitted'} (${r.body?.message ?? r.status}), engine ${engine ? 'flagged' : 'passed'}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(cases.filter((c) => c.bad)).toHaveLength(Object.keys(BAD_MUTATIONS).length);
  });
});
