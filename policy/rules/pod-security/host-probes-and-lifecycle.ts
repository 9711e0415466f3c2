import { containersOf } from '../../pod-spec';
import { definePodSecurityRule, v } from './define';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HOOKS = ['postStart', 'preStop'];

export const hostProbesAndLifecycle = definePodSecurityRule({
  id: 'pod-security/host-probes-and-lifecycle',
  psaCheck: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Probes and lifecycle handlers must not target another host',
  severity: 'medium',
  waivable: true,
  reason: 'probe or lifecycle host',
  rationale: 'A probe or lifecycle hook with a host field makes the kubelet connect to an arbitrary address: a server-side request forgery from the node.',
  remediation: 'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers; they then target the pod itself.',
  manifestRemediation: 'Remove host from the httpGet and tcpSocket of livenessProbe, readinessProbe, startupProbe and lifecycle.postStart/preStop.',
  references: [{ source: 'Kubernetes', id: 'KEP-4940 (probe host restriction)' }],
  versions: [{
    since: v(34),
    check: (_m, spec) => containersOf(spec).flatMap((c) => {
      const handlers: Array<[string, any]> = [
        ...PROBES.map((p): [string, any] => [p, c.container[p]]),
        ...HOOKS.map((h): [string, any] => [`lifecycle.${h}`, c.container.lifecycle?.[h]]),
      ];
      return handlers.flatMap(([field, h]) => ['httpGet', 'tcpSocket']
        .filter((kind) => typeof h?.[kind]?.host === 'string' && h[kind].host !== '')
        .map((kind) => ({
          field: `${c.path}.${field}.${kind}.host`,
          container: c.name,
          detail: `container "${c.name}" uses probe or lifecycle host "${h[kind].host}" in ${field}.${kind}.host`,
        })));
    }),
  }],
});
