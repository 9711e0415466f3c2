import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';
import { declaredPools, POOL_TAINT_KEY, toleratesPool } from './pools';

/**
 * The admission (CEL) form of this rule, for one pool: a ValidatingAdmissionPolicy validation that
 * denies pods tolerating the pool's taint. Its binding applies it to every namespace that is not
 * allowed to use the pool. Same semantics as `check` below, which the engine runs at synth.
 */
export function dedicatedPoolCel(pool: string): { expression: string; messageExpression: string } {
  const tolerates = `t, (has(t.key) && t.key == '${POOL_TAINT_KEY}' && ((has(t.operator) && t.operator == 'Exists') || (has(t.value) && t.value == '${pool}'))) || ((!has(t.key) || t.key == '') && has(t.operator) && t.operator == 'Exists')`;
  return {
    expression: `!has(object.spec.tolerations) || !object.spec.tolerations.exists(${tolerates})`,
    messageExpression: `'pod tolerates the taint of dedicated node pool "${pool}", but namespace "' + object.metadata.namespace + '" may not use it (rule nodes/dedicated-pool-toleration)'`,
  };
}

export const dedicatedPoolToleration: Rule = {
  id: 'nodes/dedicated-pool-toleration',
  title: 'Only the namespaces a dedicated node pool allows may tolerate its taint',
  severity: 'high',
  waivable: false,
  rationale: 'A dedicated pool isolates sensitive workloads on their own nodes; a pod from another namespace that tolerates the taint lands next to them and shares their kernel. A toleration of every pool (operator Exists) also tolerates pools declared in another chart or added later, which no check at synth can see.',
  remediation: 'Remove the toleration, or place the workload on the pool (pool.place(workload): operator Equal with the pool\'s name), adding the namespace to the pool\'s allowedNamespaces if it really belongs there.',
  manifestRemediation: 'Remove the toleration of bulwark.dev/dedicated from spec.tolerations (operator Exists tolerates every pool), unless the namespace is one the pool\'s ValidatingAdmissionPolicyBinding allows.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
    { source: 'Kubernetes', id: 'Taints and Tolerations; NodeRestriction admission' },
  ],
  check(object, context): Violation[] {
    const ns = object.metadata?.namespace ?? 'default';
    const pools = context.memo('nodes/declared-pools', () => declaredPools(context.ofKind('ValidatingAdmissionPolicyBinding')));
    return podSitesIn(object, context).flatMap((site) => {
      const tolerations: any[] = Array.isArray(site.spec.tolerations) ? site.spec.tolerations : [];
      return tolerations.flatMap((t, i): Violation[] => {
        const path = join(site.path, `tolerations[${i}]`);
        if (!toleratesPool(t, undefined)) return [];
        if (t.key === POOL_TAINT_KEY && (t.operator ?? 'Equal') === 'Equal') {
          // Equal names one pool (a missing value names the pool ""). Stricter than the admission
          // form on purpose: no policy exists for an undeclared pool, but tolerating one is a typo
          // or a leftover, so synth refuses it.
          const pool = t.value === undefined || t.value === null ? '' : String(t.value);
          const allowed = pools.get(pool);
          if (allowed === undefined) return [{ path, reason: 'unknown dedicated pool', detail: `tolerates dedicated pool "${pool}", which no DedicatedNodePool declares` }];
          return allowed.includes(ns) ? [] : [{ path, reason: 'dedicated pool not allowed', detail: `namespace "${ns}" may not tolerate dedicated pool "${pool}" (allowed: ${allowed.join(', ') || 'none'})` }];
        }
        // Exists (of the pool key, or of every key) tolerates every pool: the declared ones and any
        // declared elsewhere or later, which synth cannot check. Refused in every namespace, even
        // when no pool is declared or every declared pool allows it; each pool is tolerated by name.
        const refusing = [...pools].filter(([, allowed]) => !allowed.includes(ns)).map(([pool]) => pool).sort();
        const which = refusing.length > 0
          ? `including dedicated pools ${refusing.map((p) => `"${p}"`).join(', ')}, which do not allow namespace "${ns}"`
          : 'including pools declared elsewhere or later, which synth cannot check';
        return [{ path, reason: 'tolerates every dedicated pool', detail: `toleration ${JSON.stringify(t)} tolerates the taint of every dedicated pool, ${which}; tolerate one pool by name (operator Equal, value <pool>) instead` }];
      });
    });
  },
};
