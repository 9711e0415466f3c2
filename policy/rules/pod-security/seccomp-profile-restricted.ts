import { containersOf, isWindowsPod } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, v } from './define';
import { explicitSeccompViolations, SECCOMP_ALLOWED_TYPES } from './seccomp-profile-baseline';

const check: PodCheck = (_m, spec) => {
  const out = explicitSeccompViolations(spec);
  const podSet = SECCOMP_ALLOWED_TYPES.has(spec?.securityContext?.seccompProfile?.type);
  for (const c of containersOf(spec)) {
    if (!c.container.securityContext?.seccompProfile && !podSet) {
      out.push({
        field: `${c.path}.securityContext.seccompProfile`,
        container: c.name,
        detail: `pod or container "${c.name}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      });
    }
  }
  return out;
};

export const seccompProfileRestricted = definePodSecurityRule({
  id: 'pod-security/seccomp-profile-restricted',
  psaCheck: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp must be RuntimeDefault or Localhost',
  severity: 'high',
  waivable: true,
  reason: 'seccompProfile',
  rationale: 'Without an explicit profile many runtimes run containers Unconfined; RuntimeDefault blocks hundreds of rarely used, often exploited syscalls.',
  remediation: 'Set spec.securityContext.seccompProfile.type to RuntimeDefault on the pod.',
  manifestRemediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or on every container).',
  references: [
    { source: 'CIS', id: '5.7.2' },
    { source: 'kube-score', id: 'container-seccomp-profile' },
    { source: 'Checkov', id: 'CKV_K8S_31' },
    { source: 'Trivy', id: 'KSV030' },
  ],
  versions: [
    { since: v(19), check, overrides: ['pod-security/seccomp-profile-baseline'] },
    { since: v(25), check: (m, spec) => (isWindowsPod(spec) ? [] : check(m, spec)), overrides: ['pod-security/seccomp-profile-baseline'] },
  ],
});
