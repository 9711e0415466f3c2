import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, PodViolation, v } from './define';

export const windowsHostProcess = definePodSecurityRule({
  id: 'pod-security/windows-host-process',
  psaCheck: 'windowsHostProcess',
  level: 'baseline',
  title: 'Windows pods must not run as HostProcess containers',
  severity: 'critical',
  waivable: false,
  reason: 'hostProcess',
  rationale: 'A Windows HostProcess container runs directly on the host with host privileges: the Windows equivalent of privileged.',
  remediation: 'Remove securityContext.windowsOptions.hostProcess or set it to false.',
  manifestRemediation: 'Set securityContext.windowsOptions.hostProcess: false (or leave it out) on the pod and on every container.',
  references: [{ source: 'CIS', id: '5.2.11' }, { source: 'Trivy', id: 'KSV103' }],
  versions: [{
    since: v(0),
    check: (_m, spec) => {
      const out: PodViolation[] = [];
      if (spec?.securityContext?.windowsOptions?.hostProcess === true) {
        out.push({ field: 'securityContext.windowsOptions.hostProcess', detail: 'pod must not set securityContext.windowsOptions.hostProcess=true' });
      }
      for (const c of containersOf(spec)) {
        if (c.container.securityContext?.windowsOptions?.hostProcess === true) {
          out.push({ field: `${c.path}.securityContext.windowsOptions.hostProcess`, container: c.name, detail: `container "${c.name}" must not set securityContext.windowsOptions.hostProcess=true` });
        }
      }
      return out;
    },
  }],
});
