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

/**
 * True when the rule covers `verb` on `group`/`resource`, with the authorizer's wildcard semantics:
 * "*" matches everything, and "*\/sub" matches the subresource `sub` of every resource.
 */
export function grants(rule: RoleRuleSite, group: string, resource: string, verb: string): boolean {
  const has = (xs: string[], x: string) => xs.includes('*') || xs.includes(x);
  const sub = resource.includes('/') ? resource.slice(resource.indexOf('/')) : undefined;
  const resourceMatches = rule.resources.some((r) => r === '*' || r === resource || (sub !== undefined && r === `*${sub}`));
  return has(rule.apiGroups, group) && resourceMatches && has(rule.verbs, verb);
}

/** A subject that is, or stands for, service accounts: the ServiceAccount kind and its user and group forms. */
export function serviceAccountNamespaces(subject: any, bindingNamespace: string | undefined): string[] | undefined {
  if (subject?.kind === 'ServiceAccount') return [subject.namespace ?? bindingNamespace ?? ''];
  const name = String(subject?.name ?? '');
  if (subject?.kind === 'User' && name.startsWith('system:serviceaccount:')) return [name.split(':')[2] ?? ''];
  if (subject?.kind === 'Group' && name === 'system:serviceaccounts') return ['*'];
  if (subject?.kind === 'Group' && name.startsWith('system:serviceaccounts:')) return [name.split(':')[2] ?? ''];
  return undefined;
}

/** The Role or ClusterRole a binding refers to, when it is among the objects. */
export function boundRole(binding: KubeObject, objects: readonly KubeObject[]): KubeObject | undefined {
  const ref = binding.roleRef ?? {};
  return objects.find((o) => isRole(o) && o.kind === ref.kind && o.metadata?.name === ref.name
    && (o.kind === 'ClusterRole' || o.metadata?.namespace === binding.metadata?.namespace));
}
