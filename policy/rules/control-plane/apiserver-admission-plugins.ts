import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation } from './flags';
import { REQUIRED_ADMISSION_PLUGINS } from './hardening';

export const apiserverAdmissionPlugins: Rule = flagsRule({
  id: 'control-plane/apiserver-admission-plugins',
  title: 'The API server must run NodeRestriction, PodSecurity, ValidatingAdmissionPolicy, ServiceAccount and NamespaceLifecycle, and never AlwaysAdmit',
  severity: 'critical',
  waivable: false,
  rationale: 'NodeRestriction keeps a kubelet to its own Node and pods (and off the node-restriction.kubernetes.io/ labels that dedicated pools rely on); PodSecurity enforces the namespace labels; ValidatingAdmissionPolicy runs the cluster guardrails; ServiceAccount and NamespaceLifecycle keep tokens and terminating namespaces consistent. AlwaysAdmit turns admission off.',
  remediation: 'List NodeRestriction, PodSecurity, ValidatingAdmissionPolicy, ServiceAccount and NamespaceLifecycle in --enable-admission-plugins, keep them out of --disable-admission-plugins, drop AlwaysAdmit, and point --admission-control-config-file at the AdmissionConfiguration.',
  manifestRemediation: 'On the kube-apiserver command, list NodeRestriction, PodSecurity, ValidatingAdmissionPolicy, ServiceAccount and NamespaceLifecycle in --enable-admission-plugins (never AlwaysAdmit), none of them in --disable-admission-plugins, and set --admission-control-config-file.',
  references: [
    { source: 'CIS', id: '1.2.10, 1.2.12, 1.2.13, 1.2.14' },
    { source: 'Checkov', id: 'CKV_K8S_79, CKV_K8S_82, CKV_K8S_83, CKV_K8S_85' },
  ],
}, 'apiServer', (flags): Violation[] => {
  const enabled = flags.list('enable-admission-plugins');
  const disabled = flags.list('disable-admission-plugins');
  const out: Violation[] = [];
  const missing = REQUIRED_ADMISSION_PLUGINS.filter((p) => !enabled.includes(p));
  if (missing.length > 0) out.push(flagViolation(flags, 'enable-admission-plugins', 'admission plugin missing', `must list ${missing.join(', ')}`));
  const off = REQUIRED_ADMISSION_PLUGINS.filter((p) => disabled.includes(p));
  if (off.length > 0) out.push(flagViolation(flags, 'disable-admission-plugins', 'admission plugin disabled', `must not disable ${off.join(', ')}`));
  if (enabled.includes('AlwaysAdmit')) out.push(flagViolation(flags, 'enable-admission-plugins', 'AlwaysAdmit', 'must not list AlwaysAdmit'));
  if (!flags.get('admission-control-config-file')) out.push(flagViolation(flags, 'admission-control-config-file', 'no admission configuration', 'must name the AdmissionConfiguration holding the PodSecurity cluster defaults'));
  return out;
});
