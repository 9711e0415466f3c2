import { KubeObject } from '../../types';

/** One PolicyRule of a Role or ClusterRole, with its path. */
export interface RoleRuleSite {
  readonly path: string;
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames: string[];
}

export function isRole(o: KubeObject): boolean {
  return (o.kind === 'Role' || o.kind === 'ClusterRole') && String(o.apiVersion).startsWith('rbac.authorization.k8s.io/');
}

export function isBinding(o: KubeObject): boolean {
  return (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && String(o.apiVersion).startsWith('rbac.authorization.k8s.io/');
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function roleRules(o: KubeObject): RoleRuleSite[] {
  if (!isRole(o) || !Array.isArray(o.rules)) return [];
  return o.rules.map((r: any, i: number) => ({
    path: `rules[${i}]`,
    apiGroups: list(r?.apiGroups),
    resources: list(r?.resources),
    verbs: list(r?.verbs),
    resourceNames: list(r?.resourceNames),
  }));
}

/** True when the rule covers `verb` on `group`/`resource` (wildcards included). */
export function grants(rule: RoleRuleSite, group: string, resource: string, verb: string): boolean {
  const has = (xs: string[], x: string) => xs.includes('*') || xs.includes(x);
  return has(rule.apiGroups, group) && has(rule.resources, resource) && has(rule.verbs, verb);
}

/** The Role or ClusterRole a binding refers to, when it is among the objects. */
export function boundRole(binding: KubeObject, objects: readonly KubeObject[]): KubeObject | undefined {
  const ref = binding.roleRef ?? {};
  return objects.find((o) => isRole(o) && o.kind === ref.kind && o.metadata?.name === ref.name
    && (o.kind === 'ClusterRole' || o.metadata?.namespace === binding.metadata?.namespace));
}
