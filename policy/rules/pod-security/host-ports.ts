import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, v } from './define';

export const hostPorts = definePodSecurityRule({
  id: 'pod-security/host-ports',
  psaCheck: 'hostPorts',
  level: 'baseline',
  title: 'Containers must not bind host ports',
  severity: 'high',
  waivable: true,
  reason: 'hostPort',
  rationale: 'A hostPort bypasses NetworkPolicy on many CNIs, pins the pod to nodes with a free port and exposes it on the node address.',
  remediation: 'Remove ports[].hostPort and expose the workload through a Service.',
  manifestRemediation: 'Remove containers[].ports[].hostPort (or set it to 0) and reach the pods through a Service.',
  references: [
    { source: 'CIS', id: '5.2.13' },
    { source: 'kube-linter', id: 'host-port' },
    { source: 'Polaris', id: 'hostPortSet' },
    { source: 'Trivy', id: 'KSV024' },
  ],
  versions: [{
    since: v(0),
    check: (_m, spec) => containersOf(spec).flatMap((c) => (Array.isArray(c.container.ports) ? c.container.ports : [])
      .map((p: any, i: number) => ({ p, i }))
      .filter(({ p }: any) => p?.hostPort != null && Number(p.hostPort) !== 0)
      .map(({ p, i }: any) => ({ field: `${c.path}.ports[${i}].hostPort`, container: c.name, detail: `container "${c.name}" uses hostPort ${p.hostPort}` }))),
  }],
});
