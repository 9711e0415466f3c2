/**
 * What a stack declares, in RBAC terms: whether its Roles/ClusterRoles and bindings grant a
 * subject a verb on a resource. The e2e suite compares this with the real authorizer.
 */
import { KubeObject } from '../../../policy';

export interface Subject { kind: 'ServiceAccount' | 'Group' | 'User'; name: string; namespace?: string }
export interface Access { namespace?: string; group: string; resource: string; subresource?: string; verb: string; name?: string }

const matches = (list: string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);

function ruleAllows(rule: any, a: Access): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return matches(rule.apiGroups, a.group) && matches(rule.resources, resource) && matches(rule.verbs, a.verb)
    && (!rule.resourceNames || rule.resourceNames.length === 0 || (a.name !== undefined && rule.resourceNames.includes(a.name)));
}

function bound(binding: KubeObject, s: Subject): boolean {
  return (binding.subjects ?? []).some((x: any) => x.kind === s.kind && x.name === s.name
    && (s.kind !== 'ServiceAccount' || (x.namespace ?? binding.metadata?.namespace) === s.namespace));
}

export function declaredAllows(objects: readonly KubeObject[], s: Subject, a: Access): boolean {
  const roles = (kind: string, name: string, ns?: string) => objects.filter((o) => o.kind === kind && o.metadata?.name === name && (kind === 'ClusterRole' || o.metadata?.namespace === ns));
  return objects.some((b) => {
    if (b.kind === 'ClusterRoleBinding' && bound(b, s)) {
      return roles('ClusterRole', b.roleRef.name).some((r) => (r.rules ?? []).some((rule: any) => ruleAllows(rule, a)));
    }
    if (b.kind === 'RoleBinding' && bound(b, s) && a.namespace === b.metadata?.namespace) {
      return roles(b.roleRef.kind, b.roleRef.name, b.metadata?.namespace).some((r) => (r.rules ?? []).some((rule: any) => ruleAllows(rule, a)));
    }
    return false;
  });
}

/** Every subject a stack names: its ServiceAccounts, and the groups and users its bindings bind. */
export function subjectsOf(objects: readonly KubeObject[]): Subject[] {
  const out = new Map<string, Subject>();
  for (const o of objects) {
    if (o.kind === 'ServiceAccount') out.set(`sa:${o.metadata?.namespace}/${o.metadata?.name}`, { kind: 'ServiceAccount', name: o.metadata!.name!, namespace: o.metadata!.namespace });
    for (const x of (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') ? o.subjects ?? [] : []) {
      if (x.kind === 'Group' || x.kind === 'User') out.set(`${x.kind}:${x.name}`, { kind: x.kind, name: x.name });
    }
  }
  return [...out.values()];
}

const CRUD = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** The probes of the matrix: broad CRUD on common kinds, every escalation path by name, and each named grant. */
export function probes(namespaces: readonly string[], objects: readonly KubeObject[] = []): Access[] {
  const namespaced: Array<[string, string, string?]> = [
    ['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['', 'services'], ['', 'serviceaccounts'], ['', 'persistentvolumeclaims'], ['', 'events'],
    ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['batch', 'jobs'], ['batch', 'cronjobs'],
    ['networking.k8s.io', 'networkpolicies'], ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings'],
  ];
  const out: Access[] = [];
  for (const ns of namespaces) {
    for (const [group, resource] of namespaced) for (const verb of CRUD) out.push({ namespace: ns, group, resource, verb });
    for (const sub of ['exec', 'attach', 'portforward']) out.push({ namespace: ns, group: '', resource: 'pods', subresource: sub, verb: 'create' });
    out.push({ namespace: ns, group: '', resource: 'serviceaccounts', subresource: 'token', verb: 'create' });
    out.push({ namespace: ns, group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'escalate' });
    out.push({ namespace: ns, group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'bind' });
  }
  for (const [group, resource] of [['', 'nodes'], ['', 'namespaces'], ['rbac.authorization.k8s.io', 'clusterroles'], ['rbac.authorization.k8s.io', 'clusterrolebindings'], ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'], ['certificates.k8s.io', 'certificatesigningrequests']]) {
    for (const verb of CRUD) out.push({ group, resource, verb });
  }
  out.push({ group: '', resource: 'nodes', subresource: 'proxy', verb: 'get' });
  out.push({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' });
  out.push({ group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'bind' });
  out.push({ group: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval', verb: 'update' });
  for (const r of ['users', 'groups', 'serviceaccounts']) out.push({ group: '', resource: r, verb: 'impersonate' });
  // Named grants: each verb on each named object, and on a name that was not granted.
  for (const role of objects.filter((o) => o.kind === 'Role')) {
    for (const rule of role.rules ?? []) {
      for (const name of [...(rule.resourceNames ?? []), 'not-granted']) {
        for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of CRUD) {
          const [res, sub] = String(resource).split('/');
          out.push({ namespace: role.metadata?.namespace, group, resource: res, subresource: sub, verb, name });
        }
      }
    }
  }
  return out;
}
