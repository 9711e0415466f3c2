import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

/**
 * Pod annotation prefixes that container runtimes read as instructions, outside anything Pod
 * Security admission or the API server validates: CRI-O's original names (devices, user
 * namespaces, cgroup and seccomp notifier settings), crun (run.oci.*), Kata Containers (hypervisor
 * and guest options), gVisor (dev.gvisor.*) and the OCI seccomp hook (io.containers.trace-syscall,
 * which writes a profile on the host).
 */
export const RUNTIME_ANNOTATION_PREFIXES: readonly string[] = ['io.kubernetes.cri-o.', 'run.oci.', 'io.katacontainers.', 'dev.gvisor.', 'io.containers.trace-syscall'];
/**
 * CRI-O's newer names are keys in its own DNS domains: devices.crio.io, userns-mode.crio.io,
 * seccomp-profile.crio.io/POD, unified-cgroup.crio.io/<container>, cpu-load-balancing.crio.io,
 * seccomp-profile.kubernetes.cri-o.io/POD, ... Any key whose prefix (before "/") is crio.io,
 * cri-o.io or a subdomain of either; when both names are set, CRI-O takes the newer.
 */
const RUNTIME_DOMAIN = /^([a-z0-9-]+\.)*(crio|cri-o)\.io$/;

/** True for an annotation key a container runtime acts on (compared without case). */
export function isRuntimeAnnotation(key: string): boolean {
  const k = key.toLowerCase();
  return RUNTIME_ANNOTATION_PREFIXES.some((p) => k.startsWith(p)) || RUNTIME_DOMAIN.test(k.includes('/') ? k.slice(0, k.indexOf('/')) : k);
}

export const noRuntimeAnnotations: Rule = {
  id: 'workloads/no-runtime-annotations',
  title: 'Pods must not carry annotations that change how the container runtime runs them',
  severity: 'high',
  waivable: true,
  rationale: 'CRI-O, crun, Kata Containers and gVisor act on pod annotations (host devices, user-namespace mapping, seccomp profiles, cgroup and hypervisor options) that Pod Security admission never looks at: an annotation can hand a pod a host device or an unconfined seccomp profile that "restricted" would never allow.',
  remediation: 'Remove the runtime annotation from podMetadata; if a node agent really needs it, run it on a dedicated pool with a Waiver that names the annotation.',
  manifestRemediation: 'Remove the runtime annotations from the pod (template) metadata: io.kubernetes.cri-o.*, any key in the crio.io or cri-o.io domains (devices.crio.io, seccomp-profile.kubernetes.cri-o.io/POD, ...), run.oci.*, io.katacontainers.*, dev.gvisor.* and io.containers.trace-syscall.',
  references: [
    { source: 'CRI-O', id: 'allowed_annotations (crio.conf runtime handlers): annotations the runtime acts on', url: 'https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod security (least privilege for containers)' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => Object.keys(site.metadata.annotations ?? {})
      .filter(isRuntimeAnnotation)
      .map((k) => ({
        path: join(site.metadataPath, `annotations["${k}"]`),
        reason: 'runtime annotation',
        detail: `pods carry annotation "${k}", which the container runtime acts on outside Pod Security admission`,
      })));
  },
};
