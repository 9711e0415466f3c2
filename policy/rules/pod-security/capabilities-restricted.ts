import { containersOf, isWindowsPod } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, PodViolation, v } from './define';

const check: PodCheck = (_m, spec) => containersOf(spec).flatMap((c) => {
  const caps = c.container.securityContext?.capabilities;
  const out: PodViolation[] = [];
  const drop: unknown[] = Array.isArray(caps?.drop) ? caps.drop : [];
  if (!drop.includes('ALL')) {
    out.push({ field: `${c.path}.securityContext.capabilities.drop`, container: c.name, detail: `container "${c.name}" must set securityContext.capabilities.drop=["ALL"]` });
  }
  const add: unknown[] = Array.isArray(caps?.add) ? caps.add : [];
  const bad = [...new Set(add.map(String).filter((a) => a !== 'NET_BIND_SERVICE'))].sort();
  if (bad.length > 0) {
    out.push({ field: `${c.path}.securityContext.capabilities.add`, container: c.name, detail: `container "${c.name}" must not include ${bad.map((b) => `"${b}"`).join(', ')} in securityContext.capabilities.add` });
  }
  return out;
});

export const capabilitiesRestricted = definePodSecurityRule({
  id: 'pod-security/capabilities-restricted',
  psaCheck: 'capabilities_restricted',
  level: 'restricted',
  title: 'Containers must drop ALL capabilities and add only NET_BIND_SERVICE',
  severity: 'high',
  waivable: true,
  reason: 'unrestricted capabilities',
  rationale: 'Dropping every capability removes the kernel privileges a compromised process could abuse; binding a low port is the one addition allowed.',
  remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add nothing but NET_BIND_SERVICE.',
  manifestRemediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container, and list nothing but NET_BIND_SERVICE in capabilities.add.',
  references: [
    { source: 'CIS', id: '5.2.9, 5.2.10' },
    { source: 'kube-linter', id: 'drop-net-raw-capability' },
    { source: 'Polaris', id: 'insecureCapabilities' },
    { source: 'Checkov', id: 'CKV_K8S_28, CKV_K8S_37' },
    { source: 'Trivy', id: 'KSV003, KSV004' },
  ],
  versions: [
    { since: v(22), check, overrides: ['pod-security/capabilities-baseline'] },
    { since: v(25), check: (m, spec) => (isWindowsPod(spec) ? [] : check(m, spec)), overrides: ['pod-security/capabilities-baseline'] },
  ],
});
