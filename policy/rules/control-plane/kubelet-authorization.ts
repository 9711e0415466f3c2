import { Rule } from '../../types';
import { kubeletRule, kubeletViolation } from './kubelet';

export const kubeletAuthorization: Rule = kubeletRule({
  id: 'control-plane/kubelet-authorization',
  title: 'Kubelets must ask the API server to authorize every request',
  severity: 'critical',
  waivable: false,
  rationale: 'In AlwaysAllow mode any authenticated client (any ServiceAccount token) may exec into every container of the node; Webhook mode applies RBAC on nodes/proxy, nodes/log and the other kubelet subresources.',
  remediation: 'Set authorization.mode: Webhook.',
  manifestRemediation: 'In the KubeletConfiguration set authorization.mode: Webhook.',
  references: [
    { source: 'CIS', id: '4.2.2' },
    { source: 'Checkov', id: 'CKV_K8S_139' },
  ],
}, (o) => (o.authorization?.mode === 'Webhook' ? [] : [kubeletViolation(o, 'authorization.mode', 'kubelet authorization', 'must be "Webhook"')]));
