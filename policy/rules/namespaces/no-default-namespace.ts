import { isConfigFile } from '../../config-files';
import { Rule, Violation } from '../../types';

/** Kinds that have no namespace. Everything else lands in "default" when none is set. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'IngressClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'FlowSchema',
  'PriorityLevelConfiguration', 'NodePool', 'EC2NodeClass',
]);

/** Namespaces that are not security boundaries for applications. */
export const SHARED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export const noDefaultNamespace: Rule = {
  id: 'namespaces/no-default-namespace',
  title: 'Application objects must live in a dedicated namespace',
  severity: 'medium',
  waivable: true,
  rationale: 'The default and kube-system namespaces carry no Pod Security labels, quotas or default-deny policy of the team, and kube-system holds cluster credentials.',
  remediation: 'Put the object in an IsolatedNamespace (set metadata.namespace to it).',
  manifestRemediation: 'Set metadata.namespace to the application\'s own namespace, not default (a manifest without one lands where kubectl points: check it with bulwark check --namespace).',
  references: [
    { source: 'CIS', id: '5.7.1, 5.7.4' },
    { source: 'Checkov', id: 'CKV_K8S_21' },
    { source: 'Trivy', id: 'KSV110' },
  ],
  check(object): Violation[] {
    // Configuration files (audit policy, kubelet configuration, ...) are read from disk, never applied.
    if (CLUSTER_SCOPED_KINDS.has(object.kind) || isConfigFile(object) || (object.kind === 'ServiceAccount' && object.metadata?.name === 'default')) return [];
    const ns = object.metadata?.namespace;
    if (ns && !SHARED_NAMESPACES.has(ns)) return [];
    return [{
      path: 'metadata.namespace',
      reason: 'shared namespace',
      detail: ns ? `${object.kind} is in namespace "${ns}"` : `${object.kind} sets no namespace, so it lands in "default"`,
    }];
  },
};
