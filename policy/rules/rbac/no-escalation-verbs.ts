import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

/**
 * Constrained impersonation (beta and on by default since 1.36): the verbs
 * "impersonate:<mode>" (user-info, serviceaccount, arbitrary-node, associated-node) on
 * authentication.k8s.io users, groups, serviceaccounts and nodes, and "impersonate-on:<mode>:<verb>"
 * on whatever the impersonated request touches. RBAC compares verbs as exact strings.
 */
const CONSTRAINED_IMPERSONATION = /^impersonate(-on)?:/;

/** [group, resource, verb] triples that escalate, wildcards resolved by the authorizer's rules. */
const ESCALATING: Array<[string, string, string]> = [
  ...['roles', 'clusterroles'].flatMap((r): Array<[string, string, string]> => [['rbac.authorization.k8s.io', r, 'escalate'], ['rbac.authorization.k8s.io', r, 'bind']]),
  ...['users', 'groups', 'serviceaccounts', 'uids', 'userextras'].map((r): [string, string, string] => [r === 'userextras' || r === 'uids' ? 'authentication.k8s.io' : '', r, 'impersonate']),
  ...['users', 'groups', 'serviceaccounts', 'nodes'].map((r): [string, string, string] => ['authentication.k8s.io', r, 'impersonate:user-info']),
];

export const noEscalationVerbs: Rule = {
  id: 'rbac/no-escalation-verbs',
  title: 'Roles must not grant escalate, bind or impersonate',
  severity: 'critical',
  waivable: true,
  rationale: 'escalate and bind let a subject create roles or bindings with more rights than it holds; impersonate, and the constrained impersonation verbs impersonate:<mode> and impersonate-on:<mode>:<verb> of 1.36, let it act as another user, group, service account or node.',
  remediation: 'Remove escalate, bind and impersonate from the role; grant the end permissions directly and only to who needs them.',
  manifestRemediation: 'Remove escalate, bind, impersonate and every impersonate:* and impersonate-on:* verb from rules[].verbs.',
  references: [
    { source: 'CIS', id: '5.1.8' },
    { source: 'Checkov', id: 'CKV_K8S_157, CKV_K8S_158' },
    { source: 'Trivy', id: 'KSV050' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => {
      const explicit = r.verbs.filter((v) => ['escalate', 'bind', 'impersonate'].includes(v) || CONSTRAINED_IMPERSONATION.test(v));
      const viaWildcards = ESCALATING.filter(([g, res, verb]) => grants(r, g, res, verb)).map(([, , verb]) => verb);
      const verbs = [...new Set([...explicit, ...viaWildcards])];
      return verbs.length === 0 ? [] : [{
        path: `${r.path}.verbs`, reason: 'escalation verb', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verbs.map((v) => `"${v}"`).join(', ')} on ${r.resources.join(', ')}`,
      }];
    });
  },
};
