import { definePodSecurityRule, v } from './define';
import { procMountCheck } from './proc-mount';

export const procMountRestricted = definePodSecurityRule({
  id: 'pod-security/proc-mount-restricted',
  psaCheck: 'procMount_restricted',
  level: 'restricted',
  title: 'Containers must keep the default /proc mask, even in a user namespace',
  severity: 'high',
  waivable: true,
  reason: 'procMount',
  rationale: 'The restricted profile keeps the /proc masks even for pods in user namespaces.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  manifestRemediation: 'Remove containers[].securityContext.procMount or set procMount: Default.',
  references: [{ source: 'Trivy', id: 'KSV027' }],
  versions: [{ since: v(35), check: procMountCheck, overrides: ['pod-security/proc-mount'] }],
});
