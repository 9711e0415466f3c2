import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

export const resources: Rule = {
  id: 'workloads/resources',
  title: 'Containers must declare requests and limits for CPU, memory and ephemeral storage',
  severity: 'medium',
  waivable: true,
  rationale: 'Without limits one pod can exhaust a node (a denial of service on its neighbours); without requests the scheduler cannot place pods safely.',
  remediation: 'Set resources.requests and resources.limits for cpu, memory and ephemeral-storage on every container, init containers too.',
  manifestRemediation: 'Set resources.requests and resources.limits for cpu, memory and ephemeral-storage on every container, initContainers too.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: resource policies' },
    { source: 'kube-linter', id: 'unset-cpu-requirements, unset-memory-requirements' },
    { source: 'Polaris', id: 'cpuRequestsMissing, cpuLimitsMissing, memoryRequestsMissing, memoryLimitsMissing' },
    { source: 'kube-score', id: 'container-resources, container-ephemeral-storage-request-and-limit' },
    { source: 'Checkov', id: 'CKV_K8S_10, CKV_K8S_11, CKV_K8S_12, CKV_K8S_13' },
    { source: 'Trivy', id: 'KSV011, KSV015, KSV016, KSV018' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => containersOf(site.spec).filter((c) => c.path.startsWith('ephemeralContainers') === false).flatMap((c) => {
      const missing: string[] = [];
      for (const kind of ['requests', 'limits']) {
        for (const r of RESOURCES) if (c.container.resources?.[kind]?.[r] == null) missing.push(`${kind}.${r}`);
      }
      return missing.length === 0 ? [] : [{
        path: join(site.path, c.path, 'resources'),
        container: c.name,
        reason: 'missing resource requests or limits',
        detail: `container "${c.name}" must set resources ${missing.join(', ')}`,
      }];
    }));
  },
};
