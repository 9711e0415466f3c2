import { Rule } from '../../types';
import { kubeletRule, kubeletViolation } from './kubelet';

export const kubeletReadOnlyPort: Rule = kubeletRule({
  id: 'control-plane/kubelet-read-only-port',
  title: 'Kubelets must not serve the unauthenticated read-only port',
  severity: 'high',
  waivable: false,
  rationale: 'Port 10255 serves pod specs (with environment variables) and node details over plain HTTP without any authentication or authorization.',
  remediation: 'Set readOnlyPort: 0 (or leave it out: 0 is the default of kubelet.config.k8s.io/v1beta1).',
  manifestRemediation: 'In the KubeletConfiguration set readOnlyPort: 0 (or leave it out).',
  references: [
    { source: 'CIS', id: '4.2.4' },
    { source: 'Checkov', id: 'CKV_K8S_141' },
  ],
}, (o) => (o.readOnlyPort === undefined || o.readOnlyPort === 0 ? [] : [kubeletViolation(o, 'readOnlyPort', 'read-only port open', 'must be 0')]));
