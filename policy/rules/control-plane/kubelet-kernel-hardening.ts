import { Rule, Violation } from '../../types';
import { kubeletRule, kubeletViolation } from './kubelet';

export const kubeletKernelHardening: Rule = kubeletRule({
  id: 'control-plane/kubelet-kernel-hardening',
  title: 'Kubelets must protect kernel defaults, manage their iptables chains and default pods to the RuntimeDefault seccomp profile',
  severity: 'medium',
  waivable: true,
  rationale: 'protectKernelDefaults makes the kubelet fail instead of silently tuning kernel parameters it depends on; makeIPTablesUtilChains keeps its iptables chains consistent; seccompDefault confines every container that sets no profile (including those of Helm charts and system add-ons) to RuntimeDefault.',
  remediation: 'Set protectKernelDefaults: true (the node must then set the sysctls the kubelet expects: vm.overcommit_memory=1, vm.panic_on_oom=0, kernel.panic=10, kernel.panic_on_oops=1), makeIPTablesUtilChains: true and seccompDefault: true.',
  manifestRemediation: 'In the KubeletConfiguration set protectKernelDefaults: true, makeIPTablesUtilChains: true and seccompDefault: true (with the node sysctls protectKernelDefaults expects).',
  references: [
    { source: 'CIS', id: '4.2.6, 4.2.14' },
    { source: 'CIS v1.24', id: '4.2.6 (protect-kernel-defaults)' },
    { source: 'Checkov', id: 'CKV_K8S_144, CKV_K8S_145' },
  ],
}, (o): Violation[] => {
  const out: Violation[] = [];
  if (o.protectKernelDefaults !== true) out.push(kubeletViolation(o, 'protectKernelDefaults', 'kernel defaults unprotected', 'must be true'));
  if (o.makeIPTablesUtilChains === false) out.push(kubeletViolation(o, 'makeIPTablesUtilChains', 'iptables chains unmanaged', 'must be true'));
  if (o.seccompDefault !== true) out.push(kubeletViolation(o, 'seccompDefault', 'no default seccomp profile', 'must be true'));
  return out;
});
