import { containersOf, inUserNamespace } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, PodViolation, v } from './define';

const check: PodCheck = (_m, spec) => {
  const out: PodViolation[] = [];
  if (spec?.securityContext?.runAsUser === 0) out.push({ field: 'securityContext.runAsUser', detail: 'pod must not set runAsUser=0' });
  for (const c of containersOf(spec)) {
    if (c.container.securityContext?.runAsUser === 0) {
      out.push({ field: `${c.path}.securityContext.runAsUser`, container: c.name, detail: `container "${c.name}" must not set runAsUser=0` });
    }
  }
  return out;
};

export const runAsUser = definePodSecurityRule({
  id: 'pod-security/run-as-user',
  psaCheck: 'runAsUser',
  level: 'restricted',
  title: 'Pods must not set runAsUser to 0',
  severity: 'high',
  waivable: true,
  reason: 'runAsUser=0',
  rationale: 'UID 0 is root; runAsNonRoot alone does not stop an explicit runAsUser: 0.',
  remediation: 'Set securityContext.runAsUser to a UID of 10000 or more.',
  manifestRemediation: 'Set spec.securityContext.runAsUser to a non-zero UID (10000 or more) and remove runAsUser: 0 from every container.',
  references: [
    { source: 'CIS', id: '5.2.7' },
    { source: 'Checkov', id: 'CKV_K8S_40' },
    { source: 'Trivy', id: 'KSV105' },
  ],
  versions: [
    { since: v(23), check },
    { since: v(35), check: (m, spec) => (inUserNamespace(spec) ? [] : check(m, spec)) },
  ],
});
