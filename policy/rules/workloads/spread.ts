import { join, podSitesIn, replicasOf } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const spread: Rule = {
  id: 'workloads/spread',
  title: 'Replicated workloads must spread across nodes',
  severity: 'low',
  waivable: true,
  rationale: 'Replicas packed on one node fail together when that node is drained, compromised or lost.',
  remediation: 'Add a topologySpreadConstraint on kubernetes.io/hostname (SecureWorkload adds one when replicas >= 2) or a pod anti-affinity.',
  manifestRemediation: 'Add spec.topologySpreadConstraints with topologyKey: kubernetes.io/hostname and a labelSelector matching the pod labels (or a podAntiAffinity on kubernetes.io/hostname).',
  references: [
    { source: 'kube-linter', id: 'no-anti-affinity' },
    { source: 'kube-score', id: 'deployment-has-host-podantiaffinity' },
    { source: 'Polaris', id: 'topologySpreadConstraint' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => {
      const replicas = replicasOf(object, site, context);
      if (!replicas || replicas.count < 2) return [];
      const spec = site.spec;
      if ((Array.isArray(spec.topologySpreadConstraints) && spec.topologySpreadConstraints.length > 0) || spec.affinity?.podAntiAffinity) return [];
      return [{ path: join(site.path, 'topologySpreadConstraints'), reason: 'replicas not spread', detail: `${replicas.count} replicas with no topologySpreadConstraints or podAntiAffinity` }];
    });
  },
};
