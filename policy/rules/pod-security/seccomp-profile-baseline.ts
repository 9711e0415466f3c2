import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, PodViolation, v } from './define';

export const SECCOMP_ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

const validAnnotation = (val: string) => val === 'runtime/default' || val === 'docker/default' || val.startsWith('localhost/');

/** Explicitly set seccomp types that are not allowed: shared with the restricted variant. */
export function explicitSeccompViolations(spec: any): PodViolation[] {
  const out: PodViolation[] = [];
  const pod = spec?.securityContext?.seccompProfile;
  if (pod && !SECCOMP_ALLOWED_TYPES.has(pod.type)) {
    out.push({ field: 'securityContext.seccompProfile.type', detail: `pod must not set securityContext.seccompProfile.type to "${pod.type}"` });
  }
  for (const c of containersOf(spec)) {
    const p = c.container.securityContext?.seccompProfile;
    if (p && !SECCOMP_ALLOWED_TYPES.has(p.type)) {
      out.push({ field: `${c.path}.securityContext.seccompProfile.type`, container: c.name, detail: `container "${c.name}" must not set securityContext.seccompProfile.type to "${p.type}"` });
    }
  }
  return out;
}

export const seccompProfileBaseline = definePodSecurityRule({
  id: 'pod-security/seccomp-profile-baseline',
  psaCheck: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp must not be set to Unconfined',
  severity: 'high',
  waivable: true,
  reason: 'seccompProfile',
  rationale: 'Seccomp filters the system calls a container can make; Unconfined exposes the whole kernel attack surface.',
  remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile).',
  manifestRemediation: 'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost with localhostProfile) instead of Unconfined, on the pod and on every container that sets one.',
  references: [
    { source: 'CIS', id: '5.7.2' },
    { source: 'Checkov', id: 'CKV_K8S_31' },
    { source: 'Trivy', id: 'KSV104' },
  ],
  versions: [
    {
      since: v(0),
      check: (metadata, spec) => {
        const ann = metadata.annotations ?? {};
        const out: PodViolation[] = [];
        if (POD_ANNOTATION in ann && !validAnnotation(ann[POD_ANNOTATION])) {
          out.push({ field: `annotations["${POD_ANNOTATION}"]`, inMetadata: true, detail: `forbidden annotation ${POD_ANNOTATION}="${ann[POD_ANNOTATION]}"` });
        }
        for (const c of containersOf(spec)) {
          const key = CONTAINER_ANNOTATION + c.name;
          if (key in ann && !validAnnotation(ann[key])) {
            out.push({ field: `annotations["${key}"]`, inMetadata: true, container: c.name, detail: `forbidden annotation ${key}="${ann[key]}"` });
          }
        }
        return out;
      },
    },
    { since: v(19), check: (_m, spec) => explicitSeccompViolations(spec) },
  ],
});
