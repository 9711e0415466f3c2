import { Rule, Violation } from '../../types';
import { isBinding, isRole } from './rbac-rules';

/** Name prefixes reserved for RBAC objects of the control plane (system:) and of the installer kubeadm (kubeadm:). */
export const RESERVED_RBAC_PREFIXES: readonly string[] = ['system:', 'kubeadm:'];

/** Built-in RBAC objects without a reserved prefix, by kind: "name" for cluster-scoped kinds, "namespace/name" for namespaced ones. */
export const BUILTIN_RBAC_NAMES: Readonly<Record<string, readonly string[]>> = {
  // The user-facing roles, and the binding of cluster-admin to system:masters.
  ClusterRole: ['cluster-admin', 'admin', 'edit', 'view'],
  ClusterRoleBinding: ['cluster-admin'],
  // The API server's reader of the extension-apiserver-authentication ConfigMap; kubeadm's grant to
  // joining nodes' bootstrap tokens of the kube-proxy ConfigMap.
  Role: ['kube-system/extension-apiserver-authentication-reader', 'kube-system/kube-proxy'],
  RoleBinding: ['kube-system/kube-proxy'],
};

/** Why `o` is a built-in RBAC object (by kind and name), or undefined when it is not. */
export function builtinRbacObject(o: { kind: string; metadata?: { name?: string; namespace?: string } }): string | undefined {
  const name = o.metadata?.name;
  if (typeof name !== 'string') return undefined;
  const prefix = RESERVED_RBAC_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `the prefix "${prefix}" is reserved for the ${prefix === 'system:' ? 'control plane\'s' : 'cluster installer kubeadm\'s'} RBAC objects`;
  const id = o.kind === 'Role' || o.kind === 'RoleBinding' ? `${o.metadata?.namespace ?? 'default'}/${name}` : name;
  return (BUILTIN_RBAC_NAMES[o.kind] ?? []).includes(id) ? `"${id}" is a ${o.kind} the cluster creates itself` : undefined;
}

export const noBuiltinRbacChanges: Rule = {
  id: 'rbac/no-builtin-rbac-changes',
  title: 'Manifests must not redefine the built-in RBAC roles and bindings (cluster-admin, admin, edit, view, system:*, kubeadm:*)',
  severity: 'critical',
  waivable: false,
  rationale: 'The API server and the cluster installer create these Roles, ClusterRoles and bindings and bind them to everyone: '
    + 'system:basic-user, system:discovery and system:public-info-viewer to every authenticated (or anonymous) caller, system:node to every '
    + 'kubelet, the controllers\' roles to the control plane. A manifest that declares one under the same name replaces it when applied: '
    + 'system:basic-user with create on pods gives every account in the cluster pods, and a cluster-admin carrying one more label is '
    + 'copied by any aggregationRule selecting that label. Setting rbac.authorization.kubernetes.io/autoupdate: "false" on one even stops '
    + 'the API server from restoring it. No other rule can judge such a change, because every rule that trusts a built-in name '
    + '(rbac/no-system-role-bindings, rbac/no-aggregation-to-builtin) assumes the built-in content. Not waivable.',
  remediation: 'Give your own roles and bindings names of your own (LeastPrivilegeRole does); to extend what a built-in role grants, bind an additional role of your own instead.',
  manifestRemediation: 'Rename the Role, ClusterRole or binding: metadata.name must not be cluster-admin, admin, edit or view, nor start with system: or kubeadm:; bind an additional role of your own instead of changing a built-in one.',
  references: [
    { source: 'Kubernetes', id: 'RBAC: Default roles and role bindings (auto-reconciliation)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Hardening', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening' },
    { source: 'Kubernetes', id: 'kubeadm implementation details: RBAC for bootstrap tokens', url: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/' },
  ],
  check(object): Violation[] {
    if (!isRole(object) && !isBinding(object)) return [];
    const why = builtinRbacObject(object);
    return why ? [{ path: 'metadata.name', reason: 'built-in RBAC object', detail: `${object.kind} "${object.metadata?.name}" redefines a built-in RBAC object: ${why}` }] : [];
  },
};
