import { celList } from '../../admission';
import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

/**
 * The taint and label keys that mark control-plane nodes: kubeadm taints and labels them
 * node-role.kubernetes.io/control-plane; node-role.kubernetes.io/master on clusters set up before
 * 1.24 and on installers that kept it.
 */
export const CONTROL_PLANE_KEYS: readonly string[] = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
/** Node selector operators that select nodes carrying the key; NotIn and DoesNotExist keep pods off them. */
const SELECTING = ['In', 'Exists'];

const KEYS = celList(CONTROL_PLANE_KEYS);
const selects = (e: string) => `(has(${e}.key) && ${e}.key in ${KEYS} && has(${e}.operator) && ${e}.operator in ${celList(SELECTING)})`;
const termSelects = (term: string) => `(has(${term}.matchExpressions) && ${term}.matchExpressions.exists(e, ${selects('e')}))`;
const AFFINITY = 'variables.podSpec.affinity.nodeAffinity';
const CEL_PLACES_ON_CONTROL_PLANE = [
  `variables.tolerations.exists(t, has(t.key) && t.key in ${KEYS})`,
  `(has(variables.podSpec.nodeSelector) && variables.podSpec.nodeSelector.exists(k, k in ${KEYS}))`,
  `(has(variables.podSpec.affinity) && has(${AFFINITY}) && ((has(${AFFINITY}.requiredDuringSchedulingIgnoredDuringExecution) && has(${AFFINITY}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) && ${AFFINITY}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.exists(term, ${termSelects('term')})) || (has(${AFFINITY}.preferredDuringSchedulingIgnoredDuringExecution) && ${AFFINITY}.preferredDuringSchedulingIgnoredDuringExecution.exists(p, has(p.preference) && ${termSelects('p.preference')}))))`,
].join(' || ');

/** Every place a pod spec (or a RuntimeClass's scheduling) tolerates a control-plane taint or selects control-plane nodes. */
export function controlPlanePlacements(spec: any, at: string): Violation[] {
  const out: Violation[] = [];
  const tolerations: unknown[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  tolerations.forEach((t: any, i) => {
    if (t && typeof t === 'object' && CONTROL_PLANE_KEYS.includes(t.key)) {
      out.push({ path: join(at, `tolerations[${i}]`), reason: 'tolerates the control plane', detail: `tolerates the taint "${t.key}" that keeps workloads off control-plane nodes` });
    }
  });
  const selector = spec.nodeSelector && typeof spec.nodeSelector === 'object' ? spec.nodeSelector : {};
  for (const key of Object.keys(selector).filter((k) => CONTROL_PLANE_KEYS.includes(k))) {
    out.push({ path: join(at, `nodeSelector["${key}"]`), reason: 'selects the control plane', detail: `selects nodes labelled "${key}", the control plane's` });
  }
  const affinity = spec.affinity?.nodeAffinity;
  const terms: Array<{ term: any; path: string }> = [
    ...(Array.isArray(affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms) ? affinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms : [])
      .map((term: any, i: number) => ({ term, path: `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]` })),
    ...(Array.isArray(affinity?.preferredDuringSchedulingIgnoredDuringExecution) ? affinity.preferredDuringSchedulingIgnoredDuringExecution : [])
      .map((p: any, i: number) => ({ term: p?.preference, path: `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference` })),
  ];
  for (const { term, path } of terms) {
    const expressions: unknown[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
    expressions.forEach((e: any, j) => {
      if (e && typeof e === 'object' && CONTROL_PLANE_KEYS.includes(e.key) && SELECTING.includes(e.operator)) {
        out.push({ path: join(at, `${path}.matchExpressions[${j}]`), reason: 'selects the control plane', detail: `node affinity ${e.operator} "${e.key}" selects control-plane nodes` });
      }
    });
  }
  return out;
}

export const noControlPlaneNodes: Rule = {
  id: 'nodes/no-control-plane-nodes',
  title: 'Workloads must not tolerate or select control-plane nodes',
  severity: 'high',
  waivable: true,
  rationale: 'Control-plane nodes hold the cluster\'s keys: etcd\'s data, the API server\'s and the CA\'s private keys, admin kubeconfigs. A workload scheduled there shares their kernel, so one container escape is the whole cluster; the control-plane taint is what keeps workloads off, and a toleration of it (or a selector for the control plane\'s label, on clusters that leave it untainted) undoes that.',
  remediation: 'Remove the toleration of node-role.kubernetes.io/control-plane (or master) and any nodeSelector or node affinity that selects that label; run the workload on worker nodes, or on a DedicatedNodePool of its own.',
  manifestRemediation: 'Remove tolerations of node-role.kubernetes.io/control-plane and node-role.kubernetes.io/master, and nodeSelector entries or nodeAffinity expressions (In, Exists) on those labels; a platform agent that must run on every node takes a Waiver with the reason.',
  references: [
    { source: 'Kubernetes', id: 'Well-Known Labels, Annotations and Taints: node-role.kubernetes.io/control-plane', url: 'https://kubernetes.io/docs/reference/labels-annotations-taints/#node-role-kubernetes-io-control-plane-taint' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: control plane hardening; pod isolation on dedicated nodes' },
  ],
  admission: () => ({
    scope: 'cluster',
    pods: true,
    validations: [{
      expression: `variables.waivedObject || !(${CEL_PLACES_ON_CONTROL_PLANE})`,
      messageExpression: `object.kind + ' "' + object.metadata.name + '": pods tolerate the control-plane taint or select control-plane nodes (rule nodes/no-control-plane-nodes)'`,
      message: 'pods must not tolerate the control-plane taint or select control-plane nodes',
    }],
  }),
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => controlPlanePlacements(site.spec, site.path));
  },
};
