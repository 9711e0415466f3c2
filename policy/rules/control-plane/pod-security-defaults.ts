import { Rule, Violation } from '../../types';
import { POD_SECURITY_LEVELS } from './hardening';
import { isAdmissionConfiguration, podSecurityPlugin } from './pod-security-config';

export const podSecurityDefaults: Rule = {
  id: 'control-plane/pod-security-defaults',
  title: 'The cluster must enforce Pod Security baseline by default, and audit and warn at restricted',
  severity: 'high',
  waivable: false,
  rationale: 'A namespace without Pod Security labels gets the cluster defaults, which are "privileged" unless configured: any namespace created outside Bulwark (by hand, by a Helm chart) would then admit privileged, host-namespace and hostPath pods.',
  remediation: 'Embed a PodSecurityConfiguration in the AdmissionConfiguration with defaults enforce: baseline (or restricted), audit: restricted, warn: restricted.',
  manifestRemediation: 'In the AdmissionConfiguration\'s PodSecurity plugin (PodSecurityConfiguration) set defaults.enforce: baseline (or restricted), defaults.audit: restricted and defaults.warn: restricted.',
  references: [
    { source: 'CIS', id: '5.2.1' },
    { source: 'PSS', id: 'Pod Security Admission: configure the admission controller', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/' },
  ],
  check(object): Violation[] {
    if (!isAdmissionConfiguration(object)) return [];
    const plugin = podSecurityPlugin(object);
    if (!plugin) return [{ path: 'plugins', reason: 'no Pod Security defaults', detail: 'AdmissionConfiguration does not configure the PodSecurity plugin: unlabelled namespaces are "privileged"' }];
    if (!plugin.configuration) return [{ path: plugin.path, reason: 'Pod Security defaults not verifiable', detail: 'the PodSecurity plugin configuration is not embedded (path is used), so its defaults cannot be checked: embed it' }];
    const defaults = plugin.configuration.defaults ?? {};
    const out: Violation[] = [];
    const level = (mode: string) => POD_SECURITY_LEVELS.indexOf(String(defaults[mode] ?? 'privileged'));
    if (level('enforce') < POD_SECURITY_LEVELS.indexOf('baseline')) {
      out.push({ path: `${plugin.path}.configuration.defaults.enforce`, reason: 'weak enforce default', detail: `PodSecurity defaults enforce "${defaults.enforce ?? 'privileged'}": must be baseline or restricted` });
    }
    for (const mode of ['audit', 'warn']) {
      if (level(mode) < POD_SECURITY_LEVELS.indexOf('restricted')) {
        out.push({ path: `${plugin.path}.configuration.defaults.${mode}`, reason: `weak ${mode} default`, detail: `PodSecurity defaults ${mode} "${defaults[mode] ?? 'privileged'}": must be restricted` });
      }
    }
    return out;
  },
};
