import { podSitesIn, replicasOf } from '../../pod-spec';
import { selectorsByNamespace } from '../../selectors';
import { Rule, Violation } from '../../types';

export const disruptionBudget: Rule = {
  id: 'workloads/disruption-budget',
  title: 'Replicated workloads must have a PodDisruptionBudget',
  severity: 'low',
  waivable: true,
  rationale: 'Node drains during patching evict every replica at once without a PodDisruptionBudget, which makes security updates an outage.',
  remediation: 'Add a PodDisruptionBudget (policy/v1) selecting the pods; SecureWorkload creates one when replicas >= 2.',
  manifestRemediation: 'Add a PodDisruptionBudget (policy/v1) whose spec.selector matches the pod template\'s labels, with minAvailable or maxUnavailable.',
  references: [
    { source: 'kube-score', id: 'deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget' },
    { source: 'Polaris', id: 'missingPodDisruptionBudget' },
  ],
  check(object, context): Violation[] {
    const ns = object.metadata?.namespace ?? 'default';
    return podSitesIn(object, context).flatMap((site) => {
      const replicas = replicasOf(object, site, context);
      if (!replicas || replicas.count < 2) return [];
      const covered = (selectorsByNamespace(context, 'policy/v1', 'PodDisruptionBudget', (o) => o.spec?.selector).get(ns)?.selecting(site.metadata.labels ?? {}).length ?? 0) > 0;
      return covered ? [] : [{ path: replicas.path, reason: 'no PodDisruptionBudget', detail: `${replicas.count} replicas but no PodDisruptionBudget selects the pods` }];
    });
  },
};
