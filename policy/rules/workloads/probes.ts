import { isKnownPodKind, join, podSitesIn, PodSpecSite } from '../../pod-spec';
import { KubeObject, Rule, Violation } from '../../types';

/** Kinds that run indefinitely: a container without probes there is restarted blind and served blind. */
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

export const probes: Rule = {
  id: 'workloads/probes',
  title: 'Long-running containers must declare liveness and readiness probes',
  severity: 'low',
  waivable: true,
  rationale: 'Without readiness a broken pod receives traffic; without liveness a hung process is never restarted. Both are availability controls.',
  remediation: 'Add livenessProbe and readinessProbe to every container of a Deployment, StatefulSet or DaemonSet (SecureWorkload props liveness and readiness), or waive with the reason the process cannot be probed.',
  manifestRemediation: 'Add a livenessProbe and a readinessProbe (httpGet, tcpSocket, grpc or exec) to every container of the Deployment, StatefulSet or DaemonSet.',
  references: [
    { source: 'kube-linter', id: 'no-liveness-probe, no-readiness-probe' },
    { source: 'Polaris', id: 'livenessProbeMissing, readinessProbeMissing' },
    { source: 'kube-score', id: 'pod-probes' },
    { source: 'Checkov', id: 'CKV_K8S_8, CKV_K8S_9' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).filter((site) => longRunning(object, site)).flatMap((site) => {
      const containers: any[] = Array.isArray(site.spec.containers) ? site.spec.containers : [];
      return containers.flatMap((c, i) => {
      const missing = ['livenessProbe', 'readinessProbe'].filter((p) => c?.[p] == null);
      return missing.length === 0 ? [] : [{
        path: join(site.path, `containers[${i}]`),
        container: String(c?.name),
        reason: 'missing probes',
        detail: `container "${c?.name}" must set ${missing.join(' and ')}`,
      }];
      });
    });
  },
};

/** A known long-running kind, or a pod spec found in another kind whose owner keeps replicas (an Argo Rollout). */
function longRunning(object: KubeObject, site: PodSpecSite): boolean {
  return (LONG_RUNNING.has(object.kind) && isKnownPodKind(object)) || (site.discovered === true && typeof site.owner?.value?.replicas === 'number');
}
