import { Rule } from '../../types';
import { flagsRule, flagViolation, isFalse } from './flags';

export const apiserverProfiling: Rule = flagsRule({
  id: 'control-plane/apiserver-profiling',
  title: 'The API server must not serve profiling data',
  severity: 'medium',
  waivable: true,
  rationale: '/debug/pprof exposes the API server\'s memory, goroutines and timing to anyone RBAC lets read it, and profiling costs CPU; it is on by default.',
  remediation: 'Set --profiling=false; turn it on for a debugging session only.',
  manifestRemediation: 'Set --profiling=false on the kube-apiserver command (kubeadm: apiServer.extraArgs profiling: "false").',
  references: [
    { source: 'CIS', id: '1.2.15' },
    { source: 'Checkov', id: 'CKV_K8S_90' },
  ],
}, 'apiServer', (flags) => (isFalse(flags.get('profiling')) ? [] : [flagViolation(flags, 'profiling', 'profiling on', 'must be "false" (it defaults to true)')]));
