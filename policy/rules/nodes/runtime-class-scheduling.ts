import { join } from '../../pod-spec';
import { Rule, Violation } from '../../types';
import { controlPlanePlacements } from './no-control-plane-nodes';
import { POOL_LABEL_KEY, toleratesPool } from './pools';

/**
 * A RuntimeClass's `scheduling` (node.k8s.io/v1) is merged into every Pod that names the class, by
 * the RuntimeClass admission plugin, before any validating admission: its tolerations and node
 * selector act as if each such pod had written them, in every namespace at once.
 */
export const runtimeClassScheduling: Rule = {
  id: 'nodes/runtime-class-scheduling',
  title: 'RuntimeClasses must not carry pods onto control-plane nodes or dedicated pools',
  severity: 'high',
  waivable: false,
  rationale: 'The RuntimeClass admission plugin adds a class\'s scheduling.tolerations and scheduling.nodeSelector to every pod that names it, in any namespace: a class that tolerates the control plane\'s or a dedicated pool\'s taint, every taint, or selects those nodes, moves every such pod past the taint that isolates them, whatever namespace the pool allows.',
  remediation: 'Keep control-plane and pool tolerations and selectors out of RuntimeClasses: place workloads on a pool with DedicatedNodePool.place, per workload, where the pool\'s guardrail checks the namespace.',
  manifestRemediation: 'Remove from scheduling.tolerations any toleration of node-role.kubernetes.io/control-plane, node-role.kubernetes.io/master or bulwark.dev/dedicated, and any operator Exists without a key; remove scheduling.nodeSelector entries on the control-plane labels or node-restriction.kubernetes.io/bulwark-pool.',
  references: [
    { source: 'Kubernetes', id: 'Runtime Class: scheduling (tolerations and nodeSelector merged into the pod at admission)', url: 'https://kubernetes.io/docs/concepts/containers/runtime-class/#scheduling' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
  ],
  check(object): Violation[] {
    if (object.kind !== 'RuntimeClass' || !String(object.apiVersion ?? '').startsWith('node.k8s.io/')) return [];
    const scheduling = (object as any).scheduling;
    if (!scheduling || typeof scheduling !== 'object') return [];
    const out = controlPlanePlacements(scheduling, 'scheduling');
    const tolerations: unknown[] = Array.isArray(scheduling.tolerations) ? scheduling.tolerations : [];
    tolerations.forEach((t: any, i) => {
      if (!toleratesPool(t, undefined)) return;
      const every = t.key === undefined || t.key === '';
      if (!every && out.some((v) => v.path === join('scheduling', `tolerations[${i}]`))) return;
      out.push({ path: join('scheduling', `tolerations[${i}]`), reason: every ? 'tolerates every taint' : 'tolerates a dedicated pool', detail: every ? 'the class tolerates every taint (operator Exists, no key): control-plane and dedicated-pool nodes included' : `the class tolerates dedicated pool taint ${JSON.stringify(t)} for every pod that names it, in any namespace` });
    });
    const selector = scheduling.nodeSelector && typeof scheduling.nodeSelector === 'object' ? scheduling.nodeSelector : {};
    if (Object.prototype.hasOwnProperty.call(selector, POOL_LABEL_KEY)) {
      out.push({ path: join('scheduling', `nodeSelector["${POOL_LABEL_KEY}"]`), reason: 'selects a dedicated pool', detail: `the class selects dedicated pool "${selector[POOL_LABEL_KEY]}" for every pod that names it, in any namespace` });
    }
    return out;
  },
};
