import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, v } from './define';

/** The default container runtime capability set that baseline still allows adding. */
export const BASELINE_ALLOWED_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const capabilitiesBaseline = definePodSecurityRule({
  id: 'pod-security/capabilities-baseline',
  psaCheck: 'capabilities_baseline',
  level: 'baseline',
  title: 'Containers must not add capabilities beyond the runtime default set',
  severity: 'high',
  waivable: true,
  reason: 'non-default capabilities',
  rationale: 'Capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW give a container kernel powers that lead to container escape or network spoofing.',
  remediation: 'Remove the capability from securityContext.capabilities.add.',
  manifestRemediation: 'Remove the capability from containers[].securityContext.capabilities.add; baseline allows only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.',
  references: [
    { source: 'CIS', id: '5.2.9' },
    { source: 'kube-linter', id: 'privilege-escalation-container' },
    { source: 'Polaris', id: 'dangerousCapabilities, insecureCapabilities' },
    { source: 'Checkov', id: 'CKV_K8S_39' },
    { source: 'Trivy', id: 'KSV005, KSV022' },
  ],
  versions: [{
    since: v(0),
    check: (_m, spec) => containersOf(spec).flatMap((c) => {
      const add: unknown[] = Array.isArray(c.container.securityContext?.capabilities?.add) ? c.container.securityContext.capabilities.add : [];
      const bad = add.map(String).filter((cap) => !BASELINE_ALLOWED_CAPABILITIES.has(cap));
      return bad.length === 0 ? [] : [{
        field: `${c.path}.securityContext.capabilities.add`,
        container: c.name,
        detail: `container "${c.name}" must not include ${[...new Set(bad)].sort().map((b) => `"${b}"`).join(', ')} in securityContext.capabilities.add`,
      }];
    }),
  }],
});
