import { containersOf, isWindowsPod } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, v } from './define';

const check: PodCheck = (_m, spec) => containersOf(spec)
  .filter((c) => c.container.securityContext?.allowPrivilegeEscalation !== false)
  .map((c) => ({
    field: `${c.path}.securityContext.allowPrivilegeEscalation`,
    container: c.name,
    detail: `container "${c.name}" must set securityContext.allowPrivilegeEscalation=false`,
  }));

export const allowPrivilegeEscalation = definePodSecurityRule({
  id: 'pod-security/allow-privilege-escalation',
  psaCheck: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Containers must set allowPrivilegeEscalation: false',
  severity: 'high',
  waivable: true,
  reason: 'allowPrivilegeEscalation != false',
  rationale: 'Without no_new_privs a process can gain privileges through set-user-ID binaries or file capabilities.',
  remediation: 'Set securityContext.allowPrivilegeEscalation to false on every container, init containers included.',
  manifestRemediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, initContainers and ephemeralContainers included.',
  references: [
    { source: 'CIS', id: '5.2.6' },
    { source: 'kube-linter', id: 'privilege-escalation-container' },
    { source: 'Polaris', id: 'privilegeEscalationAllowed' },
    { source: 'kube-score', id: 'container-security-context-privilege-escalation' },
    { source: 'Checkov', id: 'CKV_K8S_20' },
    { source: 'Trivy', id: 'KSV001' },
  ],
  versions: [
    { since: v(8), check },
    { since: v(25), check: (m, spec) => (isWindowsPod(spec) ? [] : check(m, spec)) },
  ],
});
