import { containersOf, join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

export const readOnlyRootFilesystem: Rule = {
  id: 'workloads/read-only-root-filesystem',
  title: 'Containers must run with a read-only root filesystem',
  severity: 'medium',
  waivable: true,
  rationale: 'A writable root filesystem lets an attacker drop tools and persist changes to binaries; writable paths should be explicit, size-limited volumes.',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir (with sizeLimit) where the process must write, for example /tmp.',
  manifestRemediation: 'Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir volume (with sizeLimit) at each path the process writes, e.g. /tmp.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: immutable container file systems' },
    { source: 'kube-linter', id: 'no-read-only-root-fs' },
    { source: 'Polaris', id: 'notReadOnlyRootFilesystem' },
    { source: 'kube-score', id: 'container-security-context-readonlyrootfilesystem' },
    { source: 'Checkov', id: 'CKV_K8S_22' },
    { source: 'Trivy', id: 'KSV014' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => containersOf(site.spec)
      .filter((c) => c.container.securityContext?.readOnlyRootFilesystem !== true)
      .map((c) => ({
        path: join(site.path, c.path, 'securityContext.readOnlyRootFilesystem'),
        container: c.name,
        reason: 'writable root filesystem',
        detail: `container "${c.name}" must set securityContext.readOnlyRootFilesystem=true`,
      })));
  },
};
