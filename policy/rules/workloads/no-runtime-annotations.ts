import { join, podSitesIn } from '../../pod-spec';
import { Rule, Violation } from '../../types';

/**
 * Pod annotation prefixes that container runtimes read as instructions, outside anything Pod
 * Security admission or the API server validates: CRI-O (devices, user namespaces, cgroup and
 * seccomp notifier settings), crun (run.oci.*) and Kata Containers (hypervisor and guest options).
 */
export const RUNTIME_ANNOTATION_PREFIXES: readonly string[] = ['io.kubernetes.cri-o.', 'run.oci.', 'io.katacontainers.'];

export const noRuntimeAnnotations: Rule = {
  id: 'workloads/no-runtime-annotations',
  title: 'Pods must not carry annotations that change how the container runtime runs them',
  severity: 'high',
  waivable: true,
  rationale: 'CRI-O, crun and Kata Containers act on pod annotations (host devices, user-namespace mapping, cgroup and hypervisor options) that Pod Security admission never looks at: an annotation can hand a pod a host device that "restricted" would never allow.',
  remediation: 'Remove the runtime annotation from podMetadata; if a node agent really needs it, run it on a dedicated pool with a Waiver that names the annotation.',
  manifestRemediation: 'Remove the io.kubernetes.cri-o.*, run.oci.* and io.katacontainers.* annotations from the pod (template) metadata.',
  references: [
    { source: 'CRI-O', id: 'allowed_annotations (crio.conf runtime handlers): annotations the runtime acts on', url: 'https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: pod security (least privilege for containers)' },
  ],
  check(object, context): Violation[] {
    return podSitesIn(object, context).flatMap((site) => Object.keys(site.metadata.annotations ?? {})
      .filter((k) => RUNTIME_ANNOTATION_PREFIXES.some((p) => k.toLowerCase().startsWith(p)))
      .map((k) => ({
        path: join(site.metadataPath, `annotations["${k}"]`),
        reason: 'runtime annotation',
        detail: `pods carry annotation "${k}", which the container runtime acts on outside Pod Security admission`,
      })));
  },
};
