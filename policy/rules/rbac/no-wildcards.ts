import { Rule, Violation } from '../../types';
import { roleRules } from './rbac-rules';

export const noWildcards: Rule = {
  id: 'rbac/no-wildcards',
  title: 'Roles must not use wildcards in apiGroups, resources or verbs',
  severity: 'high',
  waivable: true,
  rationale: 'A wildcard grants today\'s and every future resource and verb, including ones added by CRDs and upgrades: least privilege cannot be reviewed.',
  remediation: 'List the exact apiGroups, resources and verbs the subject needs (LeastPrivilegeRole.allow or grantRead).',
  manifestRemediation: 'Replace "*" in rules[].apiGroups, rules[].resources and rules[].verbs with the exact names the subject needs.',
  references: [
    { source: 'CIS', id: '5.1.3' },
    { source: 'kube-linter', id: 'wildcard-in-rules' },
    { source: 'Checkov', id: 'CKV_K8S_49' },
    { source: 'Trivy', id: 'KSV044, KSV045, KSV046' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => (['apiGroups', 'resources', 'verbs'] as const)
      .filter((f) => r[f].some((x) => x.includes('*')))
      .map((f) => ({ path: `${r.path}.${f}`, reason: 'wildcard', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${r[f].filter((x) => x.includes('*')).map((x) => `"${x}"`).join(', ')} in ${f}` })));
  },
};
