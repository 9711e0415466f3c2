import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, PodViolation, v } from './define';

const TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_1_31 = new Set([...TYPES_1_0, 'container_engine_t']);

function seLinuxCheck(allowed: Set<string>) {
  return (_m: unknown, spec: any): PodViolation[] => {
    const problems = (o: any): string[] => {
      const p: string[] = [];
      if (!allowed.has(o.type ?? '')) p.push(`type "${o.type}"`);
      if (o.user) p.push('user may not be set');
      if (o.role) p.push('role may not be set');
      return p;
    };
    const out: PodViolation[] = [];
    const pod = spec?.securityContext?.seLinuxOptions;
    if (pod && problems(pod).length > 0) {
      out.push({ field: 'securityContext.seLinuxOptions', detail: `pod set forbidden securityContext.seLinuxOptions: ${problems(pod).join('; ')}` });
    }
    for (const c of containersOf(spec)) {
      const o = c.container.securityContext?.seLinuxOptions;
      if (o && problems(o).length > 0) {
        out.push({ field: `${c.path}.securityContext.seLinuxOptions`, container: c.name, detail: `container "${c.name}" set forbidden securityContext.seLinuxOptions: ${problems(o).join('; ')}` });
      }
    }
    return out;
  };
}

export const seLinuxOptions = definePodSecurityRule({
  id: 'pod-security/se-linux-options',
  psaCheck: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux options must not set a custom user, role or a privileged type',
  severity: 'high',
  waivable: true,
  reason: 'seLinuxOptions',
  rationale: 'A custom SELinux user, role or an unconfined type lifts the mandatory access control that separates containers on SELinux nodes.',
  remediation: 'Remove seLinuxOptions.user and .role, and use type container_t, container_init_t, container_kvm_t or container_engine_t, or none.',
  manifestRemediation: 'Remove seLinuxOptions.user and seLinuxOptions.role from securityContext (pod and containers); seLinuxOptions.type may only be container_t, container_init_t, container_kvm_t or container_engine_t.',
  references: [
    { source: 'Checkov', id: 'CKV_K8S_29 (security context)' },
    { source: 'Trivy', id: 'KSV025' },
  ],
  versions: [
    { since: v(0), check: seLinuxCheck(TYPES_1_0) },
    { since: v(31), check: seLinuxCheck(TYPES_1_31) },
  ],
});
