import { Rule, Violation } from '../../types';
import { kubeletRule, kubeletViolation } from './kubelet';

export const kubeletAuthentication: Rule = kubeletRule({
  id: 'control-plane/kubelet-authentication',
  title: 'Kubelets must refuse anonymous requests and authenticate clients by certificate or token review',
  severity: 'critical',
  waivable: false,
  rationale: 'The kubelet API runs commands in containers, reads their logs and lists pods; served to anonymous requests it is a remote shell on every node for anyone who reaches port 10250.',
  remediation: 'Set authentication.anonymous.enabled: false, authentication.webhook.enabled: true and authentication.x509.clientCAFile to the cluster CA.',
  manifestRemediation: 'In the KubeletConfiguration set authentication.anonymous.enabled: false, authentication.webhook.enabled: true and authentication.x509.clientCAFile to the cluster CA.',
  references: [
    { source: 'CIS', id: '4.2.1, 4.2.3' },
    { source: 'Checkov', id: 'CKV_K8S_138, CKV_K8S_140' },
  ],
}, (o): Violation[] => {
  const out: Violation[] = [];
  if (o.authentication?.anonymous?.enabled !== false) out.push(kubeletViolation(o, 'authentication.anonymous.enabled', 'anonymous kubelet access', 'must be false'));
  if (o.authentication?.webhook?.enabled === false) out.push(kubeletViolation(o, 'authentication.webhook.enabled', 'token authentication off', 'must be true so the API server reviews bearer tokens'));
  if (!o.authentication?.x509?.clientCAFile) out.push(kubeletViolation(o, 'authentication.x509.clientCAFile', 'no client CA', 'must name the CA that signs the API server\'s kubelet client certificate'));
  return out;
});
