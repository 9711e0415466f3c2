import { Rule, Violation } from '../../types';
import { roleRules } from './rbac-rules';

const ESCALATING = ['escalate', 'bind', 'impersonate'];

export const noEscalationVerbs: Rule = {
  id: 'rbac/no-escalation-verbs',
  title: 'Roles must not grant escalate, bind or impersonate',
  severity: 'critical',
  waivable: true,
  rationale: 'escalate and bind let a subject create roles or bindings with more rights than it holds; impersonate lets it act as any user, group or service account.',
  remediation: 'Remove escalate, bind and impersonate from the role; grant the end permissions directly and only to who needs them.',
  references: [
    { source: 'CIS', id: '5.1.8' },
    { source: 'Checkov', id: 'CKV_K8S_157, CKV_K8S_158' },
    { source: 'Trivy', id: 'KSV050' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => r.verbs.filter((v) => ESCALATING.includes(v)).map((v) => ({
      path: `${r.path}.verbs`, reason: 'escalation verb', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants "${v}" on ${r.resources.join(', ')}`,
    })));
  },
};
