/**
 * Dedicated node pools on a real control plane: the real kube-scheduler places pods created from
 * the stacks' templates on fake Nodes (two general, two carrying the pool's taint and label), and
 * the pool's ValidatingAdmissionPolicy rejects pods of other namespaces that tolerate its taint.
 */
import { evaluate, KubeObject } from '../../policy';
import { POOL_LABEL_KEY, POOL_TAINT_KEY } from '../../policy/rules/nodes/pools';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { api, applyAll, dryRunCreate, podFromTemplate } from './helpers/kube';

// The reference cluster as one: its platform declares the pools, its teams' workloads use them.
const stacks = [{ name: 'acme', objects: shippedStacks().flatMap((s) => s.objects) }];
test('the reference cluster declares its dedicated pools', () => {
  expect([...new Set(stacks[0].objects.flatMap((o) => o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] ?? []))].sort()).toEqual(['payments', 'shop-data']);
});

async function createNode(name: string, zone: string, pool?: string): Promise<void> {
  const node: KubeObject = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, 'kubernetes.io/os': 'linux', ...(pool ? { [POOL_LABEL_KEY]: pool } : {}) } },
    spec: pool ? { taints: [{ key: POOL_TAINT_KEY, value: pool, effect: 'NoSchedule' }] } : {},
  };
  const created = await api('/api/v1/nodes', { method: 'POST', body: node });
  expect([201, 409]).toContain(created.status);
  const capacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  const status = await api(`/api/v1/nodes/${name}/status`, {
    method: 'PATCH', contentType: 'application/merge-patch+json',
    body: { status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node for the e2e suite', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] } },
  });
  expect(status.status).toBe(200);
  // TaintNodesByCondition admission adds node.kubernetes.io/not-ready on create, and no node
  // lifecycle controller runs here to lift it: set the taints to exactly the pool's.
  const taints = await api(`/api/v1/nodes/${name}`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { taints: node.spec.taints ?? [] } } });
  expect(taints.status).toBe(200);
}

async function scheduledNode(ns: string, name: string): Promise<string | undefined> {
  for (let i = 0; i < 60; i++) {
    const r = await api(`/api/v1/namespaces/${ns}/pods/${name}`);
    if (r.body?.spec?.nodeName) return r.body.spec.nodeName;
    await new Promise((res) => setTimeout(res, 500));
  }
  return undefined;
}

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  const pools = [...new Set(stack.objects.flatMap((o) => o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] ?? []))];

  beforeAll(async () => {
    await ensureHttpRouteCrd(stack.objects);
    await applyAll(stack.objects);
    await createNode('general-1', 'zone-a');
    await createNode('general-2', 'zone-b');
    for (const pool of pools) {
      await createNode(`${pool}-1`, 'zone-a', pool);
      await createNode(`${pool}-2`, 'zone-b', pool);
    }
  });

  test('the scheduler puts sensitive pods only on their pool, and general pods never there', async () => {
    expect(pools.length).toBeGreaterThan(0);
    const templates = stack.objects.map((o) => ({ o, pod: podFromTemplate(o) })).filter((t): t is { o: KubeObject; pod: KubeObject } => t.pod !== undefined);
    const placements: string[] = [];
    for (const { o, pod } of templates) {
      const sensitive = pod.metadata?.labels?.['bulwark.dev/sensitive'] === 'true';
      for (let i = 0; i < 2; i++) {
        // No volume controller runs here to bind claims: placement is the question, so a claim
        // volume becomes an emptyDir (the scheduler would otherwise wait for a PersistentVolume).
        const volumes = (pod.spec.volumes ?? []).map((v: any) => (v.persistentVolumeClaim ? { name: v.name, emptyDir: {} } : v));
        const real = { ...pod, metadata: { ...pod.metadata, name: `${o.metadata!.name}-scheduled-${i}` }, spec: { ...pod.spec, volumes } };
        const created = await api(`/api/v1/namespaces/${pod.metadata!.namespace}/pods`, { method: 'POST', body: real });
        expect(`${real.metadata.name}: ${created.status} ${created.body?.message ?? ''}`.trim()).toBe(`${real.metadata.name}: 201`);
        const node = await scheduledNode(pod.metadata!.namespace!, real.metadata.name);
        if (!node) {
          const why = await api(`/api/v1/namespaces/${pod.metadata!.namespace}/pods/${real.metadata.name}`);
          throw new Error(`${real.metadata.name} was not scheduled: ${JSON.stringify(why.body?.status?.conditions ?? why.body?.status)}`);
        }
        const onPool = pools.some((p) => node!.startsWith(`${p}-`));
        placements.push(`${o.metadata!.name} -> ${sensitive ? 'pool' : 'general'} node: ${onPool === sensitive ? 'ok' : `WRONG (${node})`}`);
      }
    }
    expect(placements.filter((p) => !p.endsWith('ok'))).toEqual([]);
    expect(placements.length).toBeGreaterThan(2);
    expect(placements.some((p) => p.includes('-> pool node'))).toBe(true);
    expect(placements.some((p) => p.includes('-> general node'))).toBe(true);
  });

  test('the pool guardrail rejects a pod of another namespace tolerating the taint, as the engine does', async () => {
    const pool = pools[0];
    const allowedNs = stack.objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] === pool)!
      .spec.matchResources.namespaceSelector.matchExpressions[0].values as string[];
    const namespaces = stack.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name!);
    // A namespace the pool does not allow that runs pods (the guardrails' own namespace runs none).
    const outsider = namespaces.find((n) => !allowedNs.includes(n) && stack.objects.some((o) => podFromTemplate(o)?.metadata?.namespace === n))!;
    const template = stack.objects.map(podFromTemplate).find((p) => p && p.metadata!.namespace === outsider)!;
    const intruder = { ...template, metadata: { ...template.metadata, name: 'intruder' }, spec: { ...template.spec, tolerations: [{ key: POOL_TAINT_KEY, operator: 'Equal', value: pool, effect: 'NoSchedule' }] } };
    // A new policy takes a moment to be enforced: poll until the cluster rejects the pod.
    let r = await dryRunCreate(intruder);
    for (let i = 0; i < 40 && r.status === 201; i++) {
      await new Promise((res) => setTimeout(res, 500));
      r = await dryRunCreate(intruder);
    }
    expect(r.status).toBe(403);
    expect(String(r.body?.message)).toContain(`ValidatingAdmissionPolicy 'bulwark-dedicated-pool-${pool}'`);
    expect(String(r.body?.message)).toContain(`namespace "${outsider}" may not use it (rule nodes/dedicated-pool-toleration)`);
    expect(evaluate([intruder], { context: stack.objects }).map((f) => f.ruleId)).toContain('nodes/dedicated-pool-toleration');

    const own = stack.objects.map(podFromTemplate).find((p) => p && p.metadata!.namespace === allowedNs[0])!;
    const insider = { ...own, metadata: { ...own.metadata, name: 'insider' }, spec: { ...own.spec, tolerations: intruder.spec.tolerations } };
    const allowed = await dryRunCreate(insider);
    expect(`${allowed.status} ${allowed.body?.message ?? ''}`.trim()).toBe('201');
    expect(evaluate([insider], { context: stack.objects }).filter((f) => f.ruleId === 'nodes/dedicated-pool-toleration')).toEqual([]);
  });
});
