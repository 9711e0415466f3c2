import { Rule, Violation } from '../../types';
import { boundRoles, grants, isBinding, roleRules, serviceAccountNamespaces } from './rbac-rules';

const WORKLOADS: Array<[string, string]> = [
  ['', 'pods'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'replicasets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

/**
 * Namespaces whose ServiceAccounts are the control plane's and its add-ons' (controllers with
 * escalate, bind and secrets everywhere), usually exempt from Pod Security enforcement too:
 * creating workloads there is running as them, whoever the subject is.
 */
const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

export const noCrossNamespaceWorkloads: Rule = {
  id: 'rbac/no-cross-namespace-workloads',
  title: 'A service account must not create workloads in another namespace, nor anyone in kube-system',
  severity: 'high',
  waivable: true,
  rationale: 'Creating pods in a namespace means running with any ServiceAccount and mounting any Secret there: a compromised workload would cross the namespace boundary. In kube-system (and kube-public, kube-node-lease) those are the control plane\'s own service accounts, so no user or group may create workloads there either.',
  remediation: 'Keep workload creation inside the subject\'s own namespace, or move the controller into the target namespace.',
  manifestRemediation: 'Bind the Role to ServiceAccounts of its own namespace only, or run the subject in the namespace it creates workloads in.',
  references: [
    { source: 'CIS', id: '5.1.4' },
    { source: 'kube-linter', id: 'access-to-create-pods' },
    { source: 'Trivy', id: 'KSV048' },
  ],
  check(object, context): Violation[] {
    if (!isBinding(object)) return [];
    // Creating a pod, or changing a workload's template, runs code under any ServiceAccount there.
    // Every role of that name counts: which one the cluster keeps depends on the order of apply.
    const role = boundRoles(object, context).find((candidate) => roleRules(candidate).some((r) => WORKLOADS.some(([g, res]) => ['create', 'update', 'patch'].some((v) => grants(r, g, res, v)))));
    if (!role) return [];
    const target = object.kind === 'ClusterRoleBinding' ? '*' : object.metadata?.namespace;
    const system = target === '*' || SYSTEM_NAMESPACES.includes(target ?? 'default');
    return (Array.isArray(object.subjects) ? object.subjects : []).flatMap((s: any, i: number) => {
      const home = serviceAccountNamespaces(s, object.metadata?.namespace);
      // Users and groups have no namespace of their own: refused where the control plane's
      // ServiceAccounts live (a ClusterRoleBinding reaches those namespaces too).
      if (!home && system) {
        return [{ path: `subjects[${i}]`, reason: 'workload creation in a system namespace', detail: `${s?.kind} ${s?.name} may create or change workloads in ${target === '*' ? 'every namespace, kube-system included' : `namespace "${target}"`} through ${role.kind} "${role.metadata?.name}", and so run as the control plane's service accounts there` }];
      }
      if (!home || (target !== '*' && home.every((n) => n === target))) return [];
      return [{ path: `subjects[${i}]`, reason: 'cross-namespace workload creation', detail: `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name} may create or change workloads in ${target === '*' ? 'every namespace' : `namespace "${target}"`} through ${role.kind} "${role.metadata?.name}"` }];
    });
  },
};
