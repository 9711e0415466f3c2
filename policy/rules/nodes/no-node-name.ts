import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const noNodeName: Rule = {
  id: 'nodes/no-node-name',
  title: 'Pods must not name their node (spec.nodeName)',
  severity: 'high',
  waivable: true,
  rationale: 'A pod with spec.nodeName skips the scheduler, and with it every NoSchedule taint: it lands on a dedicated pool\'s node without tolerating the pool, next to the sensitive workloads the pool isolates.',
  remediation: 'Remove spec.nodeName; select nodes with a required node affinity (DedicatedNodePool.place) so the scheduler, and taints, stay in the path.',
  manifestRemediation: 'Remove spec.nodeName and select nodes with a required nodeAffinity (or nodeSelector), so that the scheduler and taints stay in the path.',
  references: [
    { source: 'Kubernetes', id: 'Assigning Pods to Nodes: nodeName bypasses the scheduler', url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).filter((site) => typeof site.spec.nodeName === 'string' && site.spec.nodeName !== '').map((site) => ({
      path: join(site.path, 'nodeName'),
      reason: 'scheduler bypassed',
      detail: `pods name node "${site.spec.nodeName}", which skips the scheduler and the taints of dedicated pools`,
    }));
  },
};
