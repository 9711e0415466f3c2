import { podSpecOf } from '../../pod-spec';
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
  rationale: 'A dedicated pool isolates sensitive workloads on their own nodes; a pod from another namespace that tolerates the taint lands next to them and shares their kernel.',
  remediation: 'Remove the toleration, or add the namespace to the pool\'s allowedNamespaces (DedicatedNodePool) if it really belongs there.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
    { source: 'Kubernetes', id: 'Taints and Tolerations; NodeRestriction admission' },
  ],
  check(object, context): Violation[] {
    const site = podSpecOf(object);
    if (!site) return [];
    const ns = object.metadata?.namespace ?? 'default';
    const pools = context.memo('nodes/declared-pools', () => declaredPools(context.ofKind('ValidatingAdmissionPolicyBinding')));
    const tolerations: any[] = Array.isArray(site.spec.tolerations) ? site.spec.tolerations : [];
    return tolerations.flatMap((t, i) => {
      const path = `${site.path}.tolerations[${i}]`;
      if (!toleratesPool(t, undefined)) return [];
      if (t.key === POOL_TAINT_KEY && (t.operator ?? 'Equal') === 'Equal' && typeof t.value === 'string') {
        const allowed = pools.get(t.value);
        // Stricter than the admission form on purpose: no policy exists for an undeclared pool, but
        // tolerating one is a typo or a leftover, so synth refuses it.
        if (allowed === undefined) return [{ path, reason: 'unknown dedicated pool', detail: `tolerates dedicated pool "${t.value}", which no DedicatedNodePool declares` }];
        return allowed.includes(ns) ? [] : [{ path, reason: 'dedicated pool not allowed', detail: `namespace "${ns}" may not tolerate dedicated pool "${t.value}" (allowed: ${allowed.join(', ') || 'none'})` }];
      }
      // An Exists toleration tolerates every pool: as each pool's policy does, refuse it in any
      // namespace that some declared pool does not allow.
      const refusing = [...pools].filter(([, allowed]) => !allowed.includes(ns)).map(([pool]) => pool).sort();
      return refusing.length === 0 ? [] : [{ path, reason: 'tolerates every dedicated pool', detail: `toleration ${JSON.stringify(t)} tolerates the taint of dedicated pools ${refusing.map((p) => `"${p}"`).join(', ')}, which do not allow namespace "${ns}"` }];
    });
  },
};
