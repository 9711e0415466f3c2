import { containersOf, inUserNamespace } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, PodViolation, v } from './define';

/** Containers must keep the default /proc masks. Shared with the restricted variant. */
export const procMountCheck: PodCheck = (_m, spec) => containersOf(spec)
  .filter((c) => c.container.securityContext?.procMount != null && c.container.securityContext.procMount !== 'Default')
  .map((c): PodViolation => ({
    field: `${c.path}.securityContext.procMount`,
    container: c.name,
    detail: `container "${c.name}" must not set securityContext.procMount to "${c.container.securityContext.procMount}"`,
  }));

export const procMount = definePodSecurityRule({
  id: 'pod-security/proc-mount',
  psaCheck: 'procMount',
  level: 'baseline',
  title: 'Containers must keep the default /proc mask (unless in a user namespace)',
  severity: 'high',
  waivable: true,
  reason: 'procMount',
  rationale: 'An Unmasked /proc exposes kernel interfaces that the runtime hides from containers.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  manifestRemediation: 'Remove containers[].securityContext.procMount or set procMount: Default.',
  references: [{ source: 'Trivy', id: 'KSV027' }],
  versions: [
    { since: v(0), check: procMountCheck },
    { since: v(35), check: (m, spec) => (inUserNamespace(spec) ? [] : procMountCheck(m, spec)) },
  ],
});
