import { Rule, Violation } from '../../types';
import { boundRole, grants, isBinding, roleRules } from './rbac-rules';

const WORKLOADS: Array<[string, string]> = [
  ['', 'pods'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'replicasets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

export const noCrossNamespaceWorkloads: Rule = {
  id: 'rbac/no-cross-namespace-workloads',
  title: 'A service account must not create workloads in another namespace',
  severity: 'high',
  waivable: true,
  rationale: 'Creating pods in a namespace means running with any ServiceAccount and mounting any Secret there: a compromised workload would cross the namespace boundary.',
  remediation: 'Keep workload creation inside the subject\'s own namespace, or move the controller into the target namespace.',
  references: [
    { source: 'CIS', id: '5.1.4' },
    { source: 'kube-linter', id: 'access-to-create-pods' },
    { source: 'Trivy', id: 'KSV048' },
  ],
  check(object, context): Violation[] {
    if (!isBinding(object)) return [];
    const role = boundRole(object, context.objects);
    if (!role) return [];
    const creates = roleRules(role).some((r) => WORKLOADS.some(([g, res]) => grants(r, g, res, 'create')));
    if (!creates) return [];
    const target = object.kind === 'ClusterRoleBinding' ? '*' : object.metadata?.namespace;
    return (Array.isArray(object.subjects) ? object.subjects : []).flatMap((s: any, i: number) => (
      s?.kind === 'ServiceAccount' && (target === '*' || (s.namespace ?? object.metadata?.namespace) !== target)
        ? [{ path: `subjects[${i}]`, reason: 'cross-namespace workload creation', detail: `ServiceAccount ${s.namespace}/${s.name} may create workloads in ${target === '*' ? 'every namespace' : `namespace "${target}"`} through ${role.kind} "${role.metadata?.name}"` }]
        : []));
  },
};
