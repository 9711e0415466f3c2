import { celList } from '../../admission';
import { AdmissionForm, AdmissionValidation, CelNamed, GuardrailSettings, KubeObject, RuleContext } from '../../types';

/**
 * The admission form shared by the binding rules: RoleBindings and ClusterRoleBindings,
 * everywhere, except the API server's own (it reconciles the default bindings at every start)
 * and the bindings on the cluster's allow-list (GuardrailSettings.allowedBindings).
 */
export function bindingAdmission(settings: GuardrailSettings, form: { variables?: readonly CelNamed[]; validations: readonly AdmissionValidation[] }): AdmissionForm {
  return {
    scope: 'everywhere',
    resourceRules: [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], resources: ['rolebindings', 'clusterrolebindings'], operations: ['CREATE', 'UPDATE'] }],
    matchConditions: [
      { name: 'not-the-api-server', expression: "request.userInfo.username != 'system:apiserver'" },
      { name: 'not-allow-listed', expression: `!((object.kind == 'ClusterRoleBinding' ? object.metadata.name : object.metadata.namespace + '/' + object.metadata.name) in ${celList(settings.allowedBindings)})` },
    ],
    ...form,
  };
}

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

/** The Role or ClusterRole a binding refers to, when it is among the objects (the first of boundRoles). */
export function boundRole(binding: KubeObject, context: RuleContext): KubeObject | undefined {
  return boundRoles(binding, context)[0];
}

/**
 * Every rbac.authorization.k8s.io/v1 Role or ClusterRole among the objects with the name a
 * binding refers to (looked up in an index built once). Only v1 counts: another version is not
 * served, so a harmless look-alike of another version never stands in for the real role. When
 * several share the name, which one the cluster keeps depends on the order they are applied in:
 * rules judging the binding must judge them all.
 */
export function boundRoles(binding: KubeObject, context: RuleContext): readonly KubeObject[] {
  const ref = binding.roleRef ?? {};
  const roles = context.memo('rbac/roles-by-ref', () => {
    const index = new Map<string, KubeObject[]>();
    for (const o of [...context.ofKind('Role'), ...context.ofKind('ClusterRole')]) {
      if (o.apiVersion !== RBAC_V1) continue;
      const key = roleKey(o.kind, o.kind === 'ClusterRole' ? undefined : o.metadata?.namespace, o.metadata?.name);
      const list = index.get(key);
      if (list) list.push(o); else index.set(key, [o]);
    }
    return index;
  });
  return roles.get(roleKey(ref.kind, ref.kind === 'ClusterRole' ? undefined : binding.metadata?.namespace, ref.name)) ?? [];
}

/** The RBAC API version the API server serves (v1beta1 and v1alpha1 were removed in Kubernetes 1.22). */
export const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

function roleKey(kind: unknown, namespace: unknown, name: unknown): string {
  return JSON.stringify([kind, namespace ?? null, name]);
}
