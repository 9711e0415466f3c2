import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';
import { POOL_LABEL_KEY, SENSITIVE_LABEL } from './pools';

export const sensitiveOnDedicatedPool: Rule = {
  id: 'nodes/sensitive-on-dedicated-pool',
  title: 'Sensitive workloads must be pinned to a dedicated node pool',
  severity: 'high',
  waivable: true,
  rationale: 'A container escape reaches everything on the node; sensitive workloads belong on nodes that run nothing else.',
  remediation: 'Place the workload on a DedicatedNodePool (pool.place(workload) or the nodePool prop): a required node affinity on the pool label plus the toleration.',
  manifestRemediation: 'Add to the pod spec a toleration of bulwark.dev/dedicated=<pool>:NoSchedule (operator Equal) and a required nodeAffinity on node-restriction.kubernetes.io/bulwark-pool In [<pool>].',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod isolation on dedicated nodes' },
    { source: 'CIS', id: '5.7 (general policies: separate sensitive workloads)' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).filter((site) => site.metadata.labels?.[SENSITIVE_LABEL] === 'true').flatMap((site) => {
      const terms: any[] = site.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
      const pinned = terms.length > 0 && terms.every((t) => (t?.matchExpressions ?? []).some((e: any) => e?.key === POOL_LABEL_KEY && e.operator === 'In' && (e.values ?? []).length > 0));
      return pinned ? [] : [{
        path: join(site.path, 'affinity.nodeAffinity'),
        reason: 'sensitive workload not isolated',
        detail: `pods are labelled ${SENSITIVE_LABEL}=true but have no required node affinity on ${POOL_LABEL_KEY}`,
      }];
    });
  },
};
