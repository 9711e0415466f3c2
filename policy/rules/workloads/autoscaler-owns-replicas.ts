import { autoscalersOf } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const autoscalerOwnsReplicas: Rule = {
  id: 'workloads/autoscaler-owns-replicas',
  title: 'A workload scaled by a HorizontalPodAutoscaler must not also fix its replicas',
  severity: 'medium',
  waivable: true,
  rationale: 'With both, every apply resets the replica count the autoscaler chose: under load the workload is scaled down to the fixed count mid-incident, and the two controllers fight on every sync.',
  remediation: 'Leave spec.replicas out of the workload and let the autoscaler\'s minReplicas set the floor (SecureWorkload does this with autoscale() or the autoscaling prop).',
  manifestRemediation: 'Remove spec.replicas from the workload the HorizontalPodAutoscaler scales and set the floor with the autoscaler\'s spec.minReplicas.',
  references: [
    { source: 'Kubernetes', id: 'Horizontal Pod Autoscaling: migrating Deployments and StatefulSets to horizontal autoscaling', url: 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling' },
  ],
  check(object, context): Violation[] {
    if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(object.kind) || object.spec?.replicas === undefined) return [];
    const hpas = autoscalersOf(object, context);
    return hpas.length === 0 ? [] : [{
      path: 'spec.replicas',
      reason: 'replicas fixed under an autoscaler',
      detail: `spec.replicas is ${object.spec.replicas} but HorizontalPodAutoscaler "${hpas[0].metadata?.name}" scales this ${object.kind}`,
    }];
  },
};
