import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

export const noSecretCreation: Rule = {
  id: 'rbac/no-secret-creation',
  title: 'Roles must not grant create on secrets',
  severity: 'high',
  waivable: true,
  rationale: 'A Secret of type kubernetes.io/service-account-token that names a ServiceAccount in its kubernetes.io/service-account.name '
    + 'annotation is filled by the control plane with a long-lived token for that account: create on secrets mints credentials for every '
    + 'ServiceAccount in scope, like create on serviceaccounts/token but without expiry. resourceNames cannot narrow create.',
  remediation: 'Let the platform\'s secret store or operator create Secrets; workloads read theirs by name (secrets-by-name), and short-lived tokens come from projected volumes.',
  manifestRemediation: 'Remove create, update and patch on secrets from rules[].verbs; workloads read their Secrets by name.',
  references: [
    { source: 'Kubernetes', id: 'Configure Service Accounts: Manually create an API token for a ServiceAccount', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Token request', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request' },
    { source: 'Trivy', id: 'KSV041, KSV113' },
  ],
  check(object): Violation[] {
    return roleRules(object).filter((r) => grants(r, '', 'secrets', 'create')).map((r) => ({
      path: r.path, reason: 'secret creation',
      detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants create on secrets, which mints a token for any ServiceAccount in scope`,
    }));
  },
};
