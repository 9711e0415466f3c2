import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

/** [group, resource, verbs, what a write unlocks]. */
const REDIRECTS: Array<[string, string, string[], string]> = [
  ['', 'endpoints', ['create', 'update', 'patch'], 'can point a Service at any address: another namespace\'s pods, the cloud metadata endpoint, a host outside the cluster (CVE-2021-25740)'],
  ['discovery.k8s.io', 'endpointslices', ['create', 'update', 'patch'], 'can add endpoints of its choosing to any Service of the namespace, which kube-proxy merges with the real ones (CVE-2021-25740)'],
  ['', 'pods/status', ['update', 'patch'], 'can rewrite a pod\'s IP addresses and readiness, which Services route by'],
  ['', 'services/status', ['update', 'patch'], 'can set a load balancer address that kube-proxy then captures on every node (CVE-2020-8554)'],
];

export const noTrafficRedirection: Rule = {
  id: 'rbac/no-traffic-redirection',
  title: 'Roles must not write endpoints, endpointslices, pods/status or services/status',
  severity: 'high',
  waivable: true,
  rationale: 'Services route by what these objects say: whoever writes Endpoints or EndpointSlices, a pod\'s status (its IPs and '
    + 'readiness) or a Service\'s status (its load balancer address) chooses where other workloads\' traffic goes, and can send it to '
    + 'a pod of theirs, to another namespace, or to an address outside the cluster such as the cloud metadata endpoint. Kubernetes '
    + 'removed write on endpoints from the built-in edit and admin roles for this reason in 1.22 (CVE-2021-25740), and never put '
    + 'endpointslices in them. The '
    + 'endpoint, endpoint-slice and node controllers and load balancer controllers need these writes, and nothing else does.',
  remediation: 'Remove the grant: Services with a selector get their endpoints from the control plane; give a load balancer or endpoint controller its own reviewed role and waive this rule there.',
  manifestRemediation: 'Remove create, update and patch on endpoints and endpointslices, and update and patch on pods/status and services/status, from rules[].verbs.',
  references: [
    { source: 'Kubernetes', id: 'CVE-2021-25740 (issue 103675): Endpoint and EndpointSlice permissions allow cross-namespace forwarding', url: 'https://github.com/kubernetes/kubernetes/issues/103675' },
    { source: 'Kubernetes', id: 'CVE-2020-8554 (issue 97076)', url: 'https://github.com/kubernetes/kubernetes/issues/97076' },
    { source: 'Kubernetes', id: 'RBAC: User-facing roles (endpoints write removed from edit and admin in 1.22)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => REDIRECTS.flatMap(([group, resource, verbs, why]) => verbs
      .filter((verb) => grants(r, group, resource, verb)).slice(0, 1)
      .map((verb) => ({ path: r.path, reason: 'traffic redirection', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on ${resource}: ${why}` }))));
  },
};
