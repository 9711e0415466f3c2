import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, v } from './define';

export const privileged = definePodSecurityRule({
  id: 'pod-security/privileged',
  psaCheck: 'privileged',
  level: 'baseline',
  title: 'Containers must not run privileged',
  severity: 'critical',
  waivable: false,
  reason: 'privileged',
  rationale: 'A privileged container has every capability and full device access: it is root on the node, and every other isolation control is void.',
  remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capability the process needs.',
  manifestRemediation: 'Set containers[].securityContext.privileged: false (or leave it out); add only the capability the process needs to securityContext.capabilities.add.',
  references: [
    { source: 'CIS', id: '5.2.2' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: non-root containers' },
    { source: 'kube-linter', id: 'privileged-container' },
    { source: 'Polaris', id: 'privilegeEscalationAllowed / runAsPrivileged' },
    { source: 'kube-score', id: 'container-security-context-privileged' },
    { source: 'Checkov', id: 'CKV_K8S_16' },
    { source: 'Trivy', id: 'KSV017' },
  ],
  versions: [{
    since: v(0),
    check: (_m, spec) => containersOf(spec)
      .filter((c) => c.container.securityContext?.privileged === true)
      .map((c) => ({ field: `${c.path}.securityContext.privileged`, container: c.name, detail: `container "${c.name}" must not set securityContext.privileged=true` })),
  }],
});
