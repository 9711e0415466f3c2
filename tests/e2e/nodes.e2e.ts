/**
 * Dedicated node pools on a real control plane: the real kube-scheduler places pods created from
 * the stacks' templates on fake Nodes (two general, two carrying the pool's taint and label), and
 * the pool's ValidatingAdmissionPolicy rejects pods of other namespaces that tolerate its taint.
 */
import { evaluate } from '../../policy';
import { POOL_TAINT_KEY } from '../../policy/rules/nodes/pools';
import { shippedStacks } from '../../stacks/app';
import { ensureHttpRouteCrd } from './helpers/gateway-api';
import { api, applyAll, dryRunCreate, podFromTemplate } from './helpers/kube';
import { createNode, placePods } from './helpers/nodes';

// The reference cluster as one: its platform declares the pools, its teams' workloads use them.
const stacks = [{ name: 'acme', objects: shippedStacks().flatMap((s) => s.objects) }];
test('the reference cluster declares its dedicated pools', () => {
  expect([...new Set(stacks[0].objects.flatMap((o) => o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] ?? []))].sort()).toEqual(['payments', 'shop-data']);
});

describe.each(stacks.map((s) => [s.name, s] as const))('stack %s', (_name, stack) => {
  const pools = [...new Set(stack.objects.flatMap((o) => o.metadata?.annotations?.['bulwark.dev/dedicated-pool'] ?? []))];

  beforeAll(async () => {
    await ensureHttpRouteCrd(stack.objects);
    await applyAll(stack.objects);
    await createNode(api, 'general-1', 'zone-a');
    await createNode(api, 'general-2', 'zone-b');
    for (const pool of pools) {
      await createNode(api, `${pool}-1`, 'zone-a', pool);
      await createNode(api, `${pool}-2`, 'zone-b', pool);
    }
  });

  test('the scheduler puts sensitive pods only on their pool, and general pods never there', async () => {
    expect(pools.length).toBeGreaterThan(0);
    const placements = await placePods(api, stack.objects, pools);
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
