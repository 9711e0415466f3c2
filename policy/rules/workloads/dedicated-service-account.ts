import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const dedicatedServiceAccount: Rule = {
  id: 'workloads/dedicated-service-account',
  title: 'Pods must run under their own ServiceAccount, not "default"',
  severity: 'low',
  waivable: true,
  rationale: 'The default ServiceAccount is shared by every pod in the namespace, so any grant to it reaches them all.',
  remediation: 'Create a ServiceAccount for the workload and set spec.serviceAccountName (SecureWorkload does this for you).',
  manifestRemediation: 'Create a ServiceAccount for the workload (automountServiceAccountToken: false) and set serviceAccountName to it in the pod spec.',
  references: [
    { source: 'CIS', id: '5.1.5' },
    { source: 'kube-linter', id: 'default-service-account' },
    { source: 'Checkov', id: 'CKV_K8S_41' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => {
      const name = site.spec.serviceAccountName ?? site.spec.serviceAccount;
      if (name && name !== 'default') return [];
      return [{ path: join(site.path, 'serviceAccountName'), reason: 'default service account', detail: 'pod must set serviceAccountName to a dedicated ServiceAccount' }];
    });
  },
};
