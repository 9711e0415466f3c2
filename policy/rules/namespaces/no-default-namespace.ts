import { isConfigFile } from '../../config-files';
import { Rule, Violation } from '../../types';

/**
 * Who may still create objects in "default" under the guardrail: the control plane itself (the
 * kubernetes Service and its endpoints, kube-root-ca.crt, controllers acting for it).
 */
export const CONTROL_PLANE_CEL = "request.userInfo.username in ['system:apiserver', 'system:kube-controller-manager', 'system:kube-scheduler'] || request.userInfo.username.startsWith('system:serviceaccount:kube-system:')";

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
  admission: () => ({
    // Only "default": kube-system and the other shared namespaces hold the control plane's own
    // objects and add-ons, which the guardrail cannot tell from an application's (synth can).
    scope: 'default-namespace',
    resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['CREATE'] }],
    excludeResourceRules: [
      { apiGroups: [''], apiVersions: ['*'], resources: ['events'], operations: ['CREATE'] },
      { apiGroups: ['events.k8s.io'], apiVersions: ['*'], resources: ['events'], operations: ['CREATE'] },
      { apiGroups: ['authorization.k8s.io'], apiVersions: ['*'], resources: ['localsubjectaccessreviews'], operations: ['CREATE'] },
    ],
    matchConditions: [
      // Cluster-scoped objects never skip a namespaceSelector: keep to objects in "default".
      { name: 'in-default', expression: "has(request.namespace) && request.namespace == 'default' && object.kind != 'Namespace'" },
      { name: 'not-the-control-plane', expression: `!(${CONTROL_PLANE_CEL})` },
      { name: 'not-the-default-service-account', expression: "!(object.kind == 'ServiceAccount' && object.metadata.name == 'default')" },
    ],
    validations: [{
      expression: 'variables.waivedObject',
      messageExpression: "object.kind + ' \"' + (has(object.metadata.name) ? object.metadata.name : '') + '\" is in namespace \"default\"'",
      message: 'application objects must not live in namespace "default"',
    }],
  }),
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
