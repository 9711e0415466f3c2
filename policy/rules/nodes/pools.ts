import { KubeObject } from '../../types';

/** The taint key every dedicated pool uses; the value is the pool name. */
export const POOL_TAINT_KEY = 'bulwark.dev/dedicated';
/**
 * The node label of a pool. The node-restriction.kubernetes.io/ prefix means that, with the
 * NodeRestriction admission plugin, a kubelet cannot set it on its own Node: a compromised node
 * cannot label itself into the pool.
 */
export const POOL_LABEL_KEY = 'node-restriction.kubernetes.io/bulwark-pool';
/** Pod template label that marks a workload as sensitive. */
export const SENSITIVE_LABEL = 'bulwark.dev/sensitive';
/** Annotation on a pool's ValidatingAdmissionPolicyBinding naming the pool; its namespaceSelector lists who may use it. */
export const POOL_ANNOTATION = 'bulwark.dev/dedicated-pool';

/** True when a toleration tolerates the pool's taint (an empty-key Exists tolerates every taint). */
export function toleratesPool(t: any, pool: string | undefined): boolean {
  if (!t || typeof t !== 'object') return false;
  const op = t.operator ?? 'Equal';
  if ((t.key === undefined || t.key === '') && op === 'Exists') return true;
  if (t.key !== POOL_TAINT_KEY) return false;
  return op === 'Exists' || pool === undefined || t.value === pool;
}

/** Pools declared among the objects: name -> namespaces allowed to tolerate its taint. */
export function declaredPools(objects: readonly KubeObject[]): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  for (const o of objects) {
    const pool = o.metadata?.annotations?.[POOL_ANNOTATION];
    if (o.kind !== 'ValidatingAdmissionPolicyBinding' || !pool) continue;
    const allowed = (o.spec?.matchResources?.namespaceSelector?.matchExpressions ?? [])
      .find((e: any) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'NotIn')?.values ?? [];
    pools.set(pool, [...allowed]);
  }
  return pools;
}
