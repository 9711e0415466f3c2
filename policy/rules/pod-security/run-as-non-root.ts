import { containersOf, inUserNamespace } from '../../pod-spec';
import { definePodSecurityRule, PodCheck, PodViolation, v } from './define';

const check: PodCheck = (_m, spec) => {
  const out: PodViolation[] = [];
  const pod = spec?.securityContext?.runAsNonRoot;
  if (pod === false) out.push({ field: 'securityContext.runAsNonRoot', detail: 'pod must not set securityContext.runAsNonRoot=false' });
  for (const c of containersOf(spec)) {
    const own = c.container.securityContext?.runAsNonRoot;
    if (own === false) {
      out.push({ field: `${c.path}.securityContext.runAsNonRoot`, container: c.name, detail: `container "${c.name}" must not set securityContext.runAsNonRoot=false` });
    } else if (own == null && pod !== true) {
      out.push({ field: `${c.path}.securityContext.runAsNonRoot`, container: c.name, detail: `pod or container "${c.name}" must set securityContext.runAsNonRoot=true` });
    }
  }
  return out;
};

export const runAsNonRoot = definePodSecurityRule({
  id: 'pod-security/run-as-non-root',
  psaCheck: 'runAsNonRoot',
  level: 'restricted',
  title: 'Pods must run as non-root',
  severity: 'high',
  waivable: true,
  reason: 'runAsNonRoot != true',
  rationale: 'Root inside a container is root on the node after any escape, and can write to host-mounted files it reaches.',
  remediation: 'Set securityContext.runAsNonRoot: true on the pod (and do not set it to false on any container).',
  manifestRemediation: 'Set spec.securityContext.runAsNonRoot: true on the pod, and remove runAsNonRoot: false from every container.',
  references: [
    { source: 'CIS', id: '5.2.7' },
    { source: 'kube-linter', id: 'run-as-non-root' },
    { source: 'Polaris', id: 'runAsRootAllowed' },
    { source: 'kube-score', id: 'container-security-context-user-group-id' },
    { source: 'Checkov', id: 'CKV_K8S_23' },
    { source: 'Trivy', id: 'KSV012' },
  ],
  versions: [
    { since: v(0), check },
    { since: v(35), check: (m, spec) => (inUserNamespace(spec) ? [] : check(m, spec)) },
  ],
});
