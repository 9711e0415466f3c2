import { Rule, Violation } from '../../types';
import { grants, roleRules } from './rbac-rules';

/**
 * [resource, what a change to it unlocks]: all in the core group, through update or patch. The
 * status and finalize subresources of these old core kinds keep metadata writable, so they relabel too.
 */
const TARGETS: Array<[string, string]> = [
  ['namespaces', 'can relabel a namespace: loosen its Pod Security level or match NetworkPolicy namespaceSelectors'],
  ['namespaces/status', 'can relabel a namespace through its status subresource, which keeps metadata writable'],
  ['namespaces/finalize', 'can relabel a namespace through its finalize subresource, which keeps metadata writable'],
  ['nodes', 'can relabel and untaint nodes: move pods onto a dedicated pool, or attract sensitive pods to a node it controls'],
  ['nodes/status', 'can relabel a node and rewrite its addresses and capacity, which steer scheduling and the API server\'s calls to the kubelet'],
];

export const noNamespaceNodeMutation: Rule = {
  id: 'rbac/no-namespace-node-mutation',
  title: 'Roles must not grant update or patch on namespaces or nodes, nor on their status subresources',
  severity: 'high',
  waivable: true,
  rationale: 'Isolation is written in labels and taints. Pod Security admission reads a namespace\'s pod-security.kubernetes.io labels, and '
    + 'NetworkPolicies select namespaces by label: whoever may patch a namespace (a Role in that very namespace suffices) can switch it to '
    + '"privileged" or into an allowed peer. Dedicated node pools rely on node labels and taints that only administrators set: whoever may '
    + 'patch nodes can strip a taint or copy a label and mix trusted and untrusted pods. The status (and, for namespaces, finalize) '
    + 'subresources of these kinds leave metadata writable, so they count as well.',
  remediation: 'Leave namespace and node labels and taints to the platform\'s provisioning (IsolatedNamespace, DedicatedNodePool); grant only get, list and watch on them.',
  manifestRemediation: 'Limit rules[].verbs on namespaces and nodes (and their status) to get, list and watch.',
  references: [
    { source: 'Kubernetes', id: 'RBAC Good Practices: Namespace modification', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification' },
    { source: 'Kubernetes', id: 'Assigning Pods to Nodes: Node isolation/restriction', url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-isolation-restriction' },
  ],
  check(object): Violation[] {
    return roleRules(object).flatMap((r) => TARGETS.flatMap(([resource, why]) => ['patch', 'update']
      .filter((verb) => grants(r, '', resource, verb)).slice(0, 1)
      .map((verb) => ({ path: r.path, reason: 'namespace or node mutation', detail: `${object.kind} "${object.metadata?.name}" ${r.path} grants ${verb} on ${resource}: ${why}` }))));
  },
};
