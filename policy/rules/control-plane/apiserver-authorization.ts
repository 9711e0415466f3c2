import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation } from './flags';

export const apiserverAuthorization: Rule = flagsRule({
  id: 'control-plane/apiserver-authorization',
  title: 'The API server must authorize with Node and RBAC, never AlwaysAllow',
  severity: 'critical',
  waivable: false,
  rationale: 'AlwaysAllow lets every authenticated request do anything; without the Node authorizer a kubelet can read every Secret in the cluster instead of those of its own pods.',
  remediation: 'Set --authorization-mode=Node,RBAC (other authorizers may follow, AlwaysAllow never).',
  manifestRemediation: 'Set --authorization-mode=Node,RBAC on the kube-apiserver command (kubeadm: apiServer.extraArgs), never AlwaysAllow.',
  references: [
    { source: 'CIS', id: '1.2.6, 1.2.7, 1.2.8' },
    { source: 'Checkov', id: 'CKV_K8S_74, CKV_K8S_75, CKV_K8S_77' },
  ],
}, 'apiServer', (flags): Violation[] => {
  if (flags.has('authorization-config')) {
    return [flagViolation(flags, 'authorization-config', 'authorizers not verifiable', 'is set, and Bulwark cannot see the authorizer chain in that file: use --authorization-mode=Node,RBAC instead')];
  }
  const modes = flags.list('authorization-mode');
  const missing = ['Node', 'RBAC'].filter((m) => !modes.includes(m));
  const out: Violation[] = [];
  if (modes.includes('AlwaysAllow')) out.push(flagViolation(flags, 'authorization-mode', 'AlwaysAllow', 'must not include AlwaysAllow'));
  if (missing.length > 0) out.push(flagViolation(flags, 'authorization-mode', 'authorizer missing', `must include ${missing.join(' and ')}`));
  return out;
});
