import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

export const secretsByName: Rule = {
  id: 'rbac/secrets-by-name',
  title: 'Secrets may only be read one by one, by name',
  severity: 'high',
  waivable: true,
  rationale: 'list and watch on secrets return every secret\'s contents in the namespace; get without resourceNames reads any of them.',
  remediation: 'Grant get on secrets with resourceNames naming exactly the secrets needed; never list or watch.',
  manifestRemediation: 'For secrets, grant only verbs: ["get"] with rules[].resourceNames naming each Secret; remove list and watch.',
  references: [
    { source: 'CIS', id: '5.1.2' },
    { source: 'kube-linter', id: 'access-to-secrets' },
    { source: 'Trivy', id: 'KSV041' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => {
      const out: Violation[] = [];
      for (const verb of ['list', 'watch']) {
        if (grants(r, '', 'secrets', verb)) out.push({ path: `${r.path}.verbs`, reason: 'secret listing', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on secrets` });
      }
      if (grants(r, '', 'secrets', 'get') && r.resourceNames.length === 0) {
        out.push({ path: `${r.path}.resourceNames`, reason: 'secret read by any name', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants get on all secrets (no resourceNames)` });
      }
      return out;
    });
  },
};
