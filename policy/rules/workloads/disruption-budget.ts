import { podSpecOf } from '../../pod-spec';
import { selectorsByNamespace } from '../../selectors';
import { Rule, Violation } from '../../types';

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

export const disruptionBudget: Rule = {
  id: 'workloads/disruption-budget',
  title: 'Replicated workloads must have a PodDisruptionBudget',
  severity: 'low',
  waivable: true,
  rationale: 'Node drains during patching evict every replica at once without a PodDisruptionBudget, which makes security updates an outage.',
  remediation: 'Add a PodDisruptionBudget (policy/v1) selecting the pods; SecureWorkload creates one when replicas >= 2.',
  references: [
    { source: 'kube-score', id: 'deployment-has-poddisruptionbudget, statefulset-has-poddisruptionbudget' },
    { source: 'Polaris', id: 'missingPodDisruptionBudget' },
  ],
  check(object, context): Violation[] {
    const site = podSpecOf(object);
    if (!site || !REPLICATED.has(object.kind) || (object.spec?.replicas ?? 1) < 2) return [];
    const ns = object.metadata?.namespace ?? 'default';
    const covered = (selectorsByNamespace(context, 'PodDisruptionBudget', (o) => o.spec?.selector).get(ns)?.selecting(site.metadata.labels ?? {}).length ?? 0) > 0;
    return covered ? [] : [{ path: 'spec.replicas', reason: 'no PodDisruptionBudget', detail: `${object.spec.replicas} replicas but no PodDisruptionBudget selects the pods` }];
  },
};
