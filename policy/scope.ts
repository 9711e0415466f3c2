/**
 * Which objects live in a namespace. kubectl asks API discovery; offline, `bulwark check` and
 * `bulwark scan` use this table of the built-in cluster-scoped kinds (Kubernetes 1.36) and treat
 * every other kind, custom resources included, as namespaced, as most are.
 */
import { KubeObject } from './types';

/** group ("" for core) -> kinds that are cluster-scoped. */
const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'admissionregistration.k8s.io': [
    'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'authentication.k8s.io': ['TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io': ['SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview'],
  'gateway.networking.k8s.io': ['GatewayClass'],
};

/**
 * API groups of configuration files, not API objects (kubelet, API server, audit, kubeadm, kind,
 * Bulwark's control-plane documents): they have no namespace.
 */
const CONFIGURATION_GROUPS = /(^|\.)(config\.k8s\.io|audit\.k8s\.io|kubeadm\.k8s\.io|x-k8s\.io|apiserver\.k8s\.io|controlplane\.bulwark\.dev)$/;

/** The API group of an apiVersion ("" for the core group, "apps" for "apps/v1"). */
export function apiGroupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** True when objects of this apiVersion and kind live in a namespace. */
export function isNamespaced(apiVersion: unknown, kind: unknown): boolean {
  const group = apiGroupOf(apiVersion);
  if (CONFIGURATION_GROUPS.test(group)) return false;
  return !(CLUSTER_SCOPED[group] ?? []).includes(String(kind));
}

/** True when the object is a namespaced kind and says no namespace: kubectl puts it in its current one. */
export function lacksNamespace(o: KubeObject): boolean {
  return isNamespaced(o.apiVersion, o.kind) && !(typeof o.metadata?.namespace === 'string' && o.metadata.namespace !== '');
}

/** The object placed in `namespace` when it lacks one (a copy); otherwise the object itself. */
export function withDefaultNamespace<T extends KubeObject>(o: T, namespace: string): T {
  if (!lacksNamespace(o)) return o;
  return { ...o, metadata: { ...(o.metadata ?? {}), namespace } };
}
