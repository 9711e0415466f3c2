import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

const GROUP = 'admissionregistration.k8s.io';
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** [resource, what writing it unlocks]. Webhook configurations are covered by rbac/no-sensitive-apis. */
const POLICIES: Array<[string, string]> = [
  ['validatingadmissionpolicies', 'can rewrite or delete the in-cluster checks that reject unsafe objects'],
  ['validatingadmissionpolicybindings', 'can unbind validating policies, narrow them or switch them to audit only'],
  ['mutatingadmissionpolicies', 'can rewrite every object admitted to the cluster, for example make pods privileged'],
  ['mutatingadmissionpolicybindings', 'can bind a mutating policy to any object in the cluster'],
];

export const noAdmissionPolicyChanges: Rule = {
  id: 'rbac/no-admission-policy-changes',
  title: 'Roles must not write ValidatingAdmissionPolicies, MutatingAdmissionPolicies or their bindings',
  severity: 'high',
  waivable: true,
  rationale: 'Admission policies are the cluster\'s guardrails, evaluated inside the API server for every request: whoever may delete, rebind or '
    + 'loosen a ValidatingAdmissionPolicy switches a guardrail off for everyone, and whoever may write a MutatingAdmissionPolicy can rewrite '
    + 'any admitted object, like the webhook configurations rbac/no-sensitive-apis covers.',
  remediation: 'Grant only get, list and watch on admission policies and their bindings; leave changes to the platform team\'s deployment pipeline.',
  manifestRemediation: 'Limit rules[].verbs on validatingadmissionpolicies, mutatingadmissionpolicies and their bindings to get, list and watch.',
  references: [
    { source: 'Kubernetes', id: 'Validating Admission Policy', url: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/' },
    { source: 'Kubernetes', id: 'Mutating Admission Policy', url: 'https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Control admission webhooks', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => POLICIES.flatMap(([resource, why]) => WRITE_VERBS
      .filter((verb) => grants(r, GROUP, resource, verb)).slice(0, 1)
      .map((verb) => ({ path: r.path, reason: 'admission policy change', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on ${resource}: ${why}` }))));
  },
};
