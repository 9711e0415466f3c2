import { celList } from '../../admission';
import { Rule, Violation } from '../../types';
import { bindingAdmission, isBinding } from './rbac-rules';

/**
 * Built-in discovery roles every authenticated caller already holds through the default bindings
 * (system:public-info-viewer is even held by anonymous callers): binding them grants nothing new.
 */
export const HARMLESS_SYSTEM_ROLES: readonly string[] = ['system:basic-user', 'system:discovery', 'system:public-info-viewer'];

export const noSystemRoleBindings: Rule = {
  id: 'rbac/no-system-role-bindings',
  title: 'Bindings must not grant the built-in system: roles of control-plane components',
  severity: 'critical',
  waivable: true,
  rationale: 'The system: prefix is reserved for roles the control plane owns and reconciles at every API server start: '
    + 'system:node reads every secret and writes any pod status, system:kube-controller-manager and the system:controller:* roles '
    + 'create pods, mint tokens and delete namespaces, system:kube-scheduler binds any pod to any node. Binding one hands a '
    + 'workload or person a core component\'s identity, and the role changes with every upgrade. Exempt are only the discovery roles '
    + `${HARMLESS_SYSTEM_ROLES.join(', ')}, which the default bindings already grant to every authenticated user (the last one to `
    + 'anonymous callers too), so binding them adds nothing; who they are bound to is still checked by rbac/no-catch-all-subjects.',
  remediation: 'Bind a LeastPrivilegeRole with the few grants actually needed instead of a system: role.',
  manifestRemediation: 'Point roleRef at your own Role or ClusterRole with the few rules needed instead of a system: role.',
  references: [
    { source: 'Kubernetes', id: 'RBAC: Default roles and role bindings', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Hardening', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening' },
    { source: 'Kubernetes', id: 'RBAC: Core component roles and Controller roles', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#core-component-roles' },
  ],
  admission: (settings) => bindingAdmission(settings, {
    validations: [{
      expression: `variables.waivedObject || !object.roleRef.name.startsWith('system:') || (object.roleRef.kind == 'ClusterRole' && object.roleRef.name in ${celList(HARMLESS_SYSTEM_ROLES)})`,
      messageExpression: `object.kind + ' "' + object.metadata.name + '" binds ' + object.roleRef.kind + ' "' + object.roleRef.name + '", which belongs to the control plane'`,
      message: 'bindings must not grant the control plane\'s system: roles',
    }],
  }),
  check(object): Violation[] {
    if (!isBinding(object)) return [];
    const name = object.roleRef?.name;
    if (typeof name !== 'string' || !name.startsWith('system:') || (object.roleRef?.kind === 'ClusterRole' && HARMLESS_SYSTEM_ROLES.includes(name))) return [];
    return [{
      path: 'roleRef', reason: 'built-in system role',
      detail: `${object.kind} "${object.metadata?.name}" binds ${object.roleRef?.kind ?? 'role'} "${name}", which belongs to the control plane`,
    }];
  },
};
