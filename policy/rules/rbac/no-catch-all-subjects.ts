import { celList } from '../../admission';
import { Rule, Violation } from '../../types';
import { bindingAdmission, isBinding } from './rbac-rules';

/** Subjects that stand for everyone of a kind, and who that is. */
export const CATCH_ALL: Readonly<Record<string, string>> = {
  'system:unauthenticated': 'anyone who can reach the API server, without credentials',
  'system:anonymous': 'anyone who can reach the API server, without credentials',
  'system:authenticated': 'every user and service account holding any credential (on some managed clusters, any account of the cloud provider)',
  'system:serviceaccounts': 'every service account in every namespace, so any compromised pod',
};

export const noCatchAllSubjects: Rule = {
  id: 'rbac/no-catch-all-subjects',
  title: 'Bindings must not name system:unauthenticated, system:anonymous, system:authenticated or system:serviceaccounts',
  severity: 'critical',
  waivable: true,
  rationale: 'These subjects are not a team or a workload but everyone: system:unauthenticated and the user system:anonymous are every caller '
    + 'that can reach the API server over the network, system:authenticated is everyone with any credential, and system:serviceaccounts is '
    + 'every pod\'s identity in every namespace. Whatever the role grants, a binding to one of them grants it to all, and nobody can be '
    + 'left out. The per-namespace group system:serviceaccounts:<namespace> is not flagged here.',
  remediation: 'Bind named users, groups of your identity provider, or the ServiceAccounts that need the grant.',
  manifestRemediation: 'Replace system:authenticated, system:unauthenticated and system:serviceaccounts groups in subjects with named users, groups or ServiceAccounts.',
  references: [
    { source: 'Kubernetes', id: 'RBAC Good Practices: Hardening', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening' },
    { source: 'Trivy', id: 'KSV122, KSV01011' },
    { source: 'Kyverno', id: 'restrict-binding-system-groups' },
  ],
  admission: (settings) => bindingAdmission(settings, {
    variables: [{
      name: 'catchAll',
      expression: `has(object.subjects) ? object.subjects.filter(s, s.name in ${celList(Object.keys(CATCH_ALL))} && s.kind != 'ServiceAccount') : []`,
    }],
    validations: [{
      expression: 'variables.waivedObject || size(variables.catchAll) == 0',
      messageExpression: `object.kind + ' "' + object.metadata.name + '" binds ' + variables.catchAll.map(s, s.kind + ' ' + s.name).join(', ') + ', which stands for everyone of its kind'`,
      message: 'bindings must not name system:unauthenticated, system:anonymous, system:authenticated or system:serviceaccounts',
    }],
  }),
  check(object): Violation[] {
    if (!isBinding(object)) return [];
    return (Array.isArray(object.subjects) ? object.subjects : []).flatMap((s: any, i: number): Violation[] => {
      const name = typeof s?.name === 'string' ? s.name : '';
      if (!Object.prototype.hasOwnProperty.call(CATCH_ALL, name) || s?.kind === 'ServiceAccount') return [];
      return [{ path: `subjects[${i}]`, reason: 'catch-all subject', detail: `${object.kind} "${object.metadata?.name}" binds ${s.kind} ${name}: ${CATCH_ALL[name]}` }];
    });
  },
};
