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

/** One ValidatingAdmissionPolicyBinding's declaration of a pool: the namespaces it lets tolerate the pool's taint. */
export interface PoolDeclaration {
  readonly binding: KubeObject;
  readonly allowed: readonly string[];
}

/**
 * The pool an object declares: an admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding
 * annotated bulwark.dev/dedicated-pool. Another version is not served (or not for long), so the API
 * server would not enforce it; it declares nothing.
 */
export function declaredPool(o: KubeObject): string | undefined {
  const pool = o?.metadata?.annotations?.[POOL_ANNOTATION];
  return o?.kind === 'ValidatingAdmissionPolicyBinding' && o.apiVersion === 'admissionregistration.k8s.io/v1' && typeof pool === 'string' && pool !== '' ? pool : undefined;
}

/** The namespaces a pool's binding exempts from the pool's guardrail: its NotIn on the namespace name label. */
function allowedBy(binding: KubeObject): string[] {
  const expressions = binding.spec?.matchResources?.namespaceSelector?.matchExpressions;
  const notIn = (Array.isArray(expressions) ? expressions : []).find((e: any) => e?.key === 'kubernetes.io/metadata.name' && e?.operator === 'NotIn');
  return [...new Set<string>((Array.isArray(notIn?.values) ? notIn.values : []).map(String))];
}

/** Every declaration of every pool among the objects, in input order. */
export function poolDeclarations(objects: readonly KubeObject[]): Map<string, PoolDeclaration[]> {
  const out = new Map<string, PoolDeclaration[]>();
  for (const o of objects) {
    const pool = declaredPool(o);
    if (pool === undefined) continue;
    const list = out.get(pool) ?? [];
    list.push({ binding: o, allowed: allowedBy(o) });
    out.set(pool, list);
  }
  return out;
}

/**
 * Pools declared among the objects: name -> namespaces allowed to tolerate its taint. When several
 * bindings declare one pool, a namespace is allowed only if every one of them allows it: each
 * binding is enforced on its own, so in the cluster a pod must pass all of them, and a binding
 * someone adds can only narrow a pool, never open it to another namespace.
 */
export function declaredPools(objects: readonly KubeObject[]): Map<string, string[]> {
  const pools = new Map<string, string[]>();
  for (const [pool, declarations] of poolDeclarations(objects)) {
    const [first, ...rest] = declarations;
    const sets = rest.map((d) => new Set(d.allowed));
    pools.set(pool, first.allowed.filter((ns) => sets.every((s) => s.has(ns))));
  }
  return pools;
}
