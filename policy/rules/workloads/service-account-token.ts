import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const serviceAccountToken: Rule = {
  id: 'workloads/service-account-token',
  title: 'Pods must not automount a service account token',
  severity: 'medium',
  waivable: true,
  rationale: 'Most workloads never call the Kubernetes API; a mounted token is a credential an attacker can use from a compromised container.',
  remediation: 'Set spec.automountServiceAccountToken: false on the pod; a workload that needs the API gets a projected, audience-bound token instead.',
  manifestRemediation: 'Set automountServiceAccountToken: false in the pod spec; if the process calls the API, mount a projected serviceAccountToken volume with an audience and expirationSeconds instead.',
  references: [
    { source: 'CIS', id: '5.1.6' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: service account tokens' },
    { source: 'Polaris', id: 'automountServiceAccountToken' },
    { source: 'Checkov', id: 'CKV_K8S_38' },
    { source: 'Trivy', id: 'KSV036' },
  ],
  admission: () => ({
    scope: 'cluster',
    pods: true,
    validations: [{
      expression: 'variables.waivedObject || (has(variables.podSpec.automountServiceAccountToken) && variables.podSpec.automountServiceAccountToken == false)',
      messageExpression: "object.kind + ' \"' + object.metadata.name + '\": pods must set automountServiceAccountToken=false'",
      message: 'pods must set automountServiceAccountToken=false',
    }],
  }),
  check(object, context): Violation[] {
    return podSitesIn(object, context).filter((site) => site.spec.automountServiceAccountToken !== false).map((site) => ({
      path: join(site.path, 'automountServiceAccountToken'),
      reason: 'service account token automounted',
      detail: 'pod must set automountServiceAccountToken=false',
    }));
  },
};
