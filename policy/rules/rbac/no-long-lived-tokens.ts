import { Rule, Violation } from '../../types';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';

export const noLongLivedTokens: Rule = {
  id: 'rbac/no-long-lived-tokens',
  title: 'Manifests must not declare Secrets of type kubernetes.io/service-account-token',
  severity: 'critical',
  waivable: true,
  rationale: 'The control plane fills a Secret of type kubernetes.io/service-account-token with a token of the ServiceAccount named in its '
    + 'kubernetes.io/service-account.name annotation. Unlike the tokens pods receive, it never expires and is bound to no pod: every '
    + 'subject that can read Secrets in the namespace, every backup of it, holds that ServiceAccount\'s rights for good. A manifest that '
    + 'declares one mints such a credential for any ServiceAccount of the namespace, the most privileged included, without anyone '
    + 'granting create on secrets (rbac/no-secret-creation). Waivable, because a few consumers outside the cluster cannot request '
    + 'short-lived tokens; the waiver names the consumer and an expiry, at which the Secret is to be removed and the token with it.',
  remediation: 'Use short-lived tokens: projected serviceAccountToken volumes in pods, the TokenRequest API (kubectl create token --duration) or workload identity federation outside the cluster; where a long-lived token is unavoidable, waive this rule on the Secret with the consumer and an expiry.',
  manifestRemediation: 'Remove the Secret of type kubernetes.io/service-account-token; mount a projected serviceAccountToken volume with an expirationSeconds instead, or request a token with kubectl create token --duration.',
  references: [
    { source: 'Kubernetes', id: 'Configure Service Accounts: Manually create a long-lived API token for a ServiceAccount', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount' },
    { source: 'Kubernetes', id: 'Service accounts: legacy (long-lived) tokens', url: 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner' },
    { source: 'Kubernetes', id: 'RBAC Good Practices: Token request', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request' },
  ],
  check(object): Violation[] {
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1' || object.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return [];
    const account = object.metadata?.annotations?.['kubernetes.io/service-account.name'];
    return [{
      path: 'type', reason: 'long-lived token',
      detail: `Secret "${object.metadata?.name}" is of type ${SERVICE_ACCOUNT_TOKEN_TYPE}: the control plane writes into it a token that never expires${typeof account === 'string' ? ` for ServiceAccount "${account}"` : ''}`,
    }];
  },
};
