import { containersOf } from '../../pod-spec';
import { byCodePoint } from '../../types';
import { definePodSecurityRule, PodViolation, v } from './define';

const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const appArmorProfile = definePodSecurityRule({
  id: 'pod-security/app-armor-profile',
  psaCheck: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor must not be disabled or overridden with an unconfined profile',
  severity: 'high',
  waivable: true,
  reason: 'forbidden AppArmor profile',
  rationale: 'The runtime default AppArmor profile blocks mount, ptrace and writes to sensitive /proc and /sys paths; an Unconfined profile removes that layer.',
  remediation: 'Remove appArmorProfile (or set type RuntimeDefault or Localhost), and use only runtime/default or localhost/* in AppArmor annotations.',
  manifestRemediation: 'Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost with localhostProfile) on the pod and containers, or leave it out; in container.apparmor.security.beta.kubernetes.io/<container> annotations use only runtime/default or localhost/<profile>.',
  references: [
    { source: 'kube-linter', id: 'no-apparmor (unsafe-proc-mount family)' },
    { source: 'Checkov', id: 'CKV_K8S_31' },
    { source: 'Trivy', id: 'KSV002' },
  ],
  versions: [{
    since: v(0),
    check: (metadata, spec) => {
      const out: PodViolation[] = [];
      const podType = spec?.securityContext?.appArmorProfile?.type;
      if (spec?.securityContext?.appArmorProfile && !ALLOWED_TYPES.has(podType)) {
        out.push({ field: 'securityContext.appArmorProfile.type', detail: `pod must not set AppArmor profile type to "${podType}"` });
      }
      for (const c of containersOf(spec)) {
        const p = c.container.securityContext?.appArmorProfile;
        if (p && !ALLOWED_TYPES.has(p.type)) {
          out.push({ field: `${c.path}.securityContext.appArmorProfile.type`, container: c.name, detail: `container "${c.name}" must not set AppArmor profile type to "${p.type}"` });
        }
      }
      for (const [k, val] of Object.entries(metadata.annotations ?? {}).sort(([a], [b]) => byCodePoint(a, b))) {
        if (k.startsWith(ANNOTATION_PREFIX) && !(val === '' || val === 'runtime/default' || String(val).startsWith('localhost/'))) {
          out.push({ field: `annotations["${k}"]`, inMetadata: true, detail: `annotation ${k}="${val}" must not set AppArmor profile type to "${val}"` });
        }
      }
      return out;
    },
  }],
});
