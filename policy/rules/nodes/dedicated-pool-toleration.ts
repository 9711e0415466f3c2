import { celList, celString, copyRules, GUARDRAIL_RULE_ANNOTATION, NAMESPACE_NAME_LABEL, POD_CARRIERS, POD_VARIABLES } from '../../admission';
import { join, podSitesIn } from '../../pod-spec';
import { KubeObject, Rule, Violation } from '../../types';
import { declaredPool, declaredPools, POOL_ANNOTATION, POOL_TAINT_KEY, PoolDeclaration, poolDeclarations, toleratesPool } from './pools';

const RULE_ID = 'nodes/dedicated-pool-toleration';

/** CEL: toleration `t` tolerates the taint of every dedicated pool (operator Exists, of the pool key or of every key). */
const everyPool = (t: string) =>
  `(((!has(${t}.key) || ${t}.key == '') && has(${t}.operator) && ${t}.operator == 'Exists') || (has(${t}.key) && ${t}.key == ${celString(POOL_TAINT_KEY)} && has(${t}.operator) && ${t}.operator != 'Equal'))`;
/** CEL: toleration `t` names one pool (operator Equal; a missing value names the pool ""). */
const namesPool = (t: string) => `(has(${t}.key) && ${t}.key == ${celString(POOL_TAINT_KEY)} && (!has(${t}.operator) || ${t}.operator == 'Equal'))`;
const poolNamed = (t: string) => `(has(${t}.value) ? ${t}.value : '')`;

/**
 * The admission (CEL) form of this rule for one pool: a ValidatingAdmissionPolicy validation that
 * denies pods and pod templates tolerating the pool's taint. Its binding applies it to every
 * namespace that is not allowed to use the pool. With the cluster-wide part below (`admission`:
 * no toleration of every pool, no unknown pool), the same semantics as `check`.
 */
export function dedicatedPoolCel(pool: string): { expression: string; messageExpression: string; message: string } {
  return {
    expression: `!variables.tolerations.exists(t, ${everyPool('t')} || (${namesPool('t')} && ${poolNamed('t')} == ${celString(pool)}))`,
    messageExpression: `object.kind + ': pods tolerate the taint of dedicated node pool "${pool}", but namespace "' + object.metadata.namespace + '" may not use it (rule ${RULE_ID})'`,
    message: `pods tolerate the taint of dedicated node pool "${pool}", which this namespace may not use (rule ${RULE_ID})`,
  };
}

/**
 * A pool's own guardrail, which DedicatedNodePool renders: the policy above for Pods and every
 * workload controller, bound to every namespace but the allowed ones (the name label is set by
 * the API server itself). The binding carries the pool's name; declaredPools reads it back.
 */
export function dedicatedPoolGuardrail(pool: string, allowedNamespaces: readonly string[]): { policy: KubeObject; binding: KubeObject } {
  const name = `bulwark-dedicated-pool-${pool}`;
  return {
    policy: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, annotations: { [GUARDRAIL_RULE_ANNOTATION]: RULE_ID } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { matchPolicy: 'Equivalent', resourceRules: copyRules(POD_CARRIERS) },
        variables: POD_VARIABLES.map((v) => ({ ...v })),
        validations: [{ ...dedicatedPoolCel(pool), reason: 'Forbidden' }],
      },
    },
    binding: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, annotations: { [POOL_ANNOTATION]: pool, [GUARDRAIL_RULE_ANNOTATION]: RULE_ID } },
      spec: {
        policyName: name,
        validationActions: ['Deny', 'Audit'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...allowedNamespaces] }] } },
      },
    },
  };
}

export const dedicatedPoolToleration: Rule = {
  id: RULE_ID,
  title: 'Only the namespaces a dedicated node pool allows may tolerate its taint',
  severity: 'high',
  waivable: false,
  rationale: 'A dedicated pool isolates sensitive workloads on their own nodes; a pod from another namespace that tolerates the taint lands next to them and shares their kernel. A toleration of every pool (operator Exists) also tolerates pools declared in another chart or added later, which no check at synth can see. A pool is declared by its admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding; when several declare one pool, only the namespaces all of them allow may use it (each binding is enforced on its own), and a pool declared with two different lists is flagged.',
  remediation: 'Remove the toleration, or place the workload on the pool (pool.place(workload): operator Equal with the pool\'s name), adding the namespace to the pool\'s allowedNamespaces if it really belongs there.',
  manifestRemediation: 'Remove the toleration of bulwark.dev/dedicated from spec.tolerations (operator Exists tolerates every pool), unless the namespace is one the pool\'s ValidatingAdmissionPolicyBinding allows.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
    { source: 'Kubernetes', id: 'Taints and Tolerations; NodeRestriction admission' },
  ],
  // The cluster-wide part; each pool's own guardrail (dedicatedPoolGuardrail) refuses its
  // toleration in the namespaces it does not allow.
  admission: (settings) => ({
    scope: 'cluster',
    pods: true,
    validations: [
      {
        expression: `!variables.tolerations.exists(t, ${everyPool('t')})`,
        messageExpression: `object.kind + ': pods tolerate the taint of every dedicated pool (operator Exists); tolerate one pool by name (operator Equal, value <pool>) instead'`,
        message: 'pods must not tolerate the taint of every dedicated pool',
      },
      {
        expression: `variables.tolerations.all(t, !${namesPool('t')} || ${poolNamed('t')} in ${celList([...settings.pools.keys()].sort())})`,
        messageExpression: `object.kind + ': pods tolerate dedicated pool ' + variables.tolerations.filter(t, ${namesPool('t')} && !(${poolNamed('t')} in ${celList([...settings.pools.keys()].sort())})).map(t, '"' + ${poolNamed('t')} + '"').join(', ') + ', which no DedicatedNodePool of this cluster declares'`,
        message: 'pods must not tolerate a dedicated pool no DedicatedNodePool declares',
      },
    ],
  }),
  check(object, context): Violation[] {
    const ns = object.metadata?.namespace ?? 'default';
    const pools = context.memo('nodes/declared-pools', () => declaredPools(context.ofKind('ValidatingAdmissionPolicyBinding')));
    const pool = declaredPool(object);
    if (pool !== undefined) return conflictingDeclarations(pool, context.memo('nodes/pool-declarations', () => poolDeclarations(context.ofKind('ValidatingAdmissionPolicyBinding'))), pools);
    return podSitesIn(object, context).flatMap((site) => {
      const tolerations: any[] = Array.isArray(site.spec.tolerations) ? site.spec.tolerations : [];
      return tolerations.flatMap((t, i): Violation[] => {
        const path = join(site.path, `tolerations[${i}]`);
        if (!toleratesPool(t, undefined)) return [];
        if (t.key === POOL_TAINT_KEY && (t.operator ?? 'Equal') === 'Equal') {
          // Equal names one pool (a missing value names the pool ""). Tolerating a pool nobody
          // declares is a typo or a leftover: refused here and by the cluster-wide guardrail.
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

/**
 * A pool declared by several bindings that allow different namespaces: the engine allows only the
 * namespaces all of them allow (declaredPools), but two lists mean one of them is wrong, or was
 * added to open the pool to someone. Flagged on each binding of the pool.
 */
function conflictingDeclarations(pool: string, declarations: ReadonlyMap<string, readonly PoolDeclaration[]>, pools: ReadonlyMap<string, readonly string[]>): Violation[] {
  const mine = declarations.get(pool) ?? [];
  const lists = new Set(mine.map((d) => JSON.stringify([...d.allowed].sort())));
  if (lists.size < 2) return [];
  const described = mine.map((d) => `"${d.binding.metadata?.name}" allows ${d.allowed.length > 0 ? d.allowed.join(', ') : 'none'}`).join('; ');
  return [{
    path: 'spec.matchResources.namespaceSelector',
    reason: 'dedicated pool declared twice',
    detail: `dedicated pool "${pool}" is declared by ${mine.length} ValidatingAdmissionPolicyBindings with different namespaces (${described}); only the namespaces all of them allow (${(pools.get(pool) ?? []).join(', ') || 'none'}) may tolerate it: declare each pool once`,
  }];
}
