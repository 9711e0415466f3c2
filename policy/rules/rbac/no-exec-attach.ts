import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

const SENSITIVE: Array<[string, string, string[]]> = [
  ['', 'pods/exec', ['create', 'get']],
  ['', 'pods/attach', ['create', 'get']],
  ['', 'pods/portforward', ['create', 'get']],
  ['', 'pods/ephemeralcontainers', ['patch', 'update']],
  ['', 'nodes/proxy', ['get', 'create', 'update', 'patch', 'delete']],
  // The API server relays these requests itself, to any port of a pod or service: past every NetworkPolicy.
  ['', 'pods/proxy', ['get', 'create', 'update', 'patch', 'delete']],
  ['', 'services/proxy', ['get', 'create', 'update', 'patch', 'delete']],
];

export const noExecAttach: Rule = {
  id: 'rbac/no-exec-attach',
  title: 'Roles must not grant pods/exec, pods/attach, pods/portforward, pods/ephemeralcontainers or the proxy subresources of nodes, pods and services',
  severity: 'critical',
  waivable: true,
  rationale: 'Exec, attach, port-forward and ephemeral debug containers give a shell or a tunnel into running containers (and their secrets); nodes/proxy reaches the kubelet API, bypassing admission and audit. '
    + 'pods/proxy and services/proxy have the API server itself relay HTTP to any port of a pod or service: a tunnel from the control plane\'s network position, past every NetworkPolicy.',
  remediation: 'Remove these subresources; debug through logs, metrics and ephemeral debug workflows approved per incident.',
  manifestRemediation: 'Remove pods/exec, pods/attach, pods/portforward, pods/ephemeralcontainers, nodes/proxy, pods/proxy and services/proxy from rules[].resources.',
  references: [
    { source: 'CIS', id: '5.1.10' },
    { source: 'Polaris', id: 'rolePodExecAttach, clusterrolePodExecAttach' },
    { source: 'Trivy', id: 'KSV053, KSV047' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => SENSITIVE.flatMap(([group, resource, verbs]) => verbs
      .filter((verb) => grants(r, group, resource, verb))
      .slice(0, 1)
      .map(() => ({ path: r.path, reason: 'exec or proxy access', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${resource}` }))));
  },
};
