import { Rule, Violation } from '../../types';
import { flagsRule, flagViolation } from './flags';
import { HARDENING_ADMISSION_PLUGINS } from './hardening';

const WHY: Record<string, string> = {
  EventRateLimit: 'caps the rate of Event writes, so no client can flood etcd with events',
  AlwaysPullImages: 'makes every pod pull its image with its own credentials, so one tenant cannot run another\'s private image from a node cache',
  DenyServiceExternalIPs: 'refuses Service externalIPs, which let a Service owner intercept traffic to any address (CVE-2020-8554)',
};

export const apiserverAdmissionHardening: Rule = flagsRule({
  id: 'control-plane/apiserver-admission-hardening',
  title: 'The API server should run EventRateLimit, AlwaysPullImages and DenyServiceExternalIPs',
  severity: 'medium',
  waivable: true,
  rationale: 'EventRateLimit caps Event writes (an API and etcd denial of service otherwise); AlwaysPullImages stops pods from reusing another tenant\'s private image cached on a node; DenyServiceExternalIPs closes the Service externalIPs man-in-the-middle (CVE-2020-8554).',
  remediation: 'Add EventRateLimit, AlwaysPullImages and DenyServiceExternalIPs to --enable-admission-plugins (EventRateLimit needs its limits in the AdmissionConfiguration), or waive with the reason the cluster does without.',
  manifestRemediation: 'Add EventRateLimit, AlwaysPullImages and DenyServiceExternalIPs to --enable-admission-plugins on the kube-apiserver command, with EventRateLimit\'s limits in the AdmissionConfiguration file.',
  references: [
    { source: 'CIS', id: '1.2.3, 1.2.9, 1.2.11' },
    { source: 'Checkov', id: 'CKV_K8S_78, CKV_K8S_80' },
  ],
}, 'apiServer', (flags): Violation[] => {
  const enabled = flags.list('enable-admission-plugins');
  const disabled = flags.list('disable-admission-plugins');
  return HARDENING_ADMISSION_PLUGINS.filter((p) => !enabled.includes(p) || disabled.includes(p))
    .map((p) => flagViolation(flags, disabled.includes(p) ? 'disable-admission-plugins' : 'enable-admission-plugins', `${p} off`, `must turn ${p} on: it ${WHY[p]}`));
});
