import { celList } from '../../admission';
import { Rule, Violation } from '../../types';
import { bindingAdmission, isBinding } from './rbac-rules';

export const BROAD_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];
/**
 * Built-in roles refused only cluster-wide (in a ClusterRoleBinding): view reads every object but
 * Secrets, and every custom resource aggregated into it. In one namespace, through a RoleBinding, it is fine.
 */
export const BROAD_CLUSTER_WIDE_ROLES: readonly string[] = ['view'];

/** True when the binding grants a built-in role this rule refuses. */
function bindsBroadRole(object: { kind: string; roleRef?: any }): boolean {
  if (object.roleRef?.kind !== 'ClusterRole') return false;
  const name = object.roleRef?.name;
  return BROAD_ROLES.includes(name) || (object.kind === 'ClusterRoleBinding' && BROAD_CLUSTER_WIDE_ROLES.includes(name));
}

export const noPrivilegedBindings: Rule = {
  id: 'rbac/no-privileged-bindings',
  title: 'Nothing may be bound to cluster-admin, admin or edit, nor cluster-wide to view, nor to the group system:masters',
  severity: 'critical',
  waivable: true,
  rationale: 'The built-in admin roles grant far more than any workload or team needs (edit reads every secret); system:masters bypasses RBAC entirely and cannot be revoked. '
    + 'view bound cluster-wide reads every object of every namespace but Secrets (pod specs and their environment, ConfigMaps, '
    + 'every custom resource aggregated into view): a map of the whole cluster for whoever holds it. Bound in one namespace by a RoleBinding it is fine.',
  remediation: 'Bind a LeastPrivilegeRole with exactly the needed grants; never name system:masters in a binding.',
  manifestRemediation: 'Point roleRef at a Role holding only the needed rules instead of cluster-admin, admin or edit, bind view with a RoleBinding per namespace instead of a ClusterRoleBinding, and remove system:masters from subjects.',
  references: [
    { source: 'CIS', id: '5.1.1, 5.1.7' },
    { source: 'kube-linter', id: 'cluster-admin-role-binding' },
    { source: 'Polaris', id: 'clusterrolebindingClusterAdmin, rolebindingClusterAdminClusterRole' },
    { source: 'Trivy', id: 'KSV111' },
  ],
  admission: (settings) => bindingAdmission(settings, {
    variables: [
      { name: 'broadRole', expression: `object.roleRef.kind == 'ClusterRole' && (object.roleRef.name in ${celList(BROAD_ROLES)} || (object.kind == 'ClusterRoleBinding' && object.roleRef.name in ${celList(BROAD_CLUSTER_WIDE_ROLES)}))` },
      { name: 'masters', expression: "has(object.subjects) && object.subjects.exists(s, s.kind == 'Group' && s.name == 'system:masters')" },
    ],
    validations: [{
      expression: 'variables.waivedObject || !(variables.broadRole || variables.masters)',
      messageExpression: `object.kind + ' "' + object.metadata.name + '" binds ' + (variables.broadRole ? 'ClusterRole "' + object.roleRef.name + '"' : 'the group system:masters')`,
      message: 'bindings must not grant cluster-admin, admin or edit, nor view cluster-wide, or name system:masters',
    }],
  }),
  check(object): Violation[] {
    if (!isBinding(object)) return [];
    const out: Violation[] = [];
    if (bindsBroadRole(object)) {
      out.push({ path: 'roleRef', reason: 'broad built-in role', detail: `${object.kind} "${object.metadata?.name}" binds ClusterRole "${object.roleRef.name}"${BROAD_ROLES.includes(object.roleRef.name) ? '' : ' in every namespace'}` });
    }
    (Array.isArray(object.subjects) ? object.subjects : []).forEach((s: any, i: number) => {
      if (s?.kind === 'Group' && s?.name === 'system:masters') {
        out.push({ path: `subjects[${i}]`, reason: 'system:masters', detail: `${object.kind} "${object.metadata?.name}" binds the group system:masters` });
      }
    });
    return out;
  },
};
