import { Rule, Violation } from '../../types';
import { EXEMPTIBLE_NAMESPACES } from './hardening';
import { isAdmissionConfiguration, podSecurityPlugin } from './pod-security-config';

export const podSecurityExemptions: Rule = {
  id: 'control-plane/pod-security-exemptions',
  title: 'Pod Security may exempt only kube-system, by namespace',
  severity: 'high',
  waivable: true,
  rationale: 'An exempted user or runtime class bypasses Pod Security in every namespace; an exempted namespace admits privileged pods whatever its labels say. Only kube-system, which runs the node-level system pods, needs that.',
  remediation: 'Remove exemptions.usernames and exemptions.runtimeClasses, and every namespace but kube-system from exemptions.namespaces; label namespaces that need more with an explicit enforce level instead, or waive with the reason.',
  manifestRemediation: 'In the PodSecurityConfiguration remove exemptions.usernames and exemptions.runtimeClasses, and every namespace but kube-system from exemptions.namespaces.',
  references: [
    { source: 'CIS', id: '5.2.1' },
    { source: 'PSS', id: 'Pod Security Admission exemptions', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#exemptions' },
  ],
  check(object): Violation[] {
    if (!isAdmissionConfiguration(object)) return [];
    const plugin = podSecurityPlugin(object);
    const exemptions = plugin?.configuration?.exemptions ?? {};
    const base = `${plugin?.path}.configuration.exemptions`;
    const list = (k: string): string[] => (Array.isArray(exemptions[k]) ? exemptions[k].map(String) : []);
    const out: Violation[] = [];
    for (const k of ['usernames', 'runtimeClasses']) {
      if (list(k).length > 0) out.push({ path: `${base}.${k}`, reason: `${k} exempted`, detail: `PodSecurity exempts ${k} ${list(k).map((x) => `"${x}"`).join(', ')} in every namespace` });
    }
    const namespaces = list('namespaces').filter((n) => !EXEMPTIBLE_NAMESPACES.has(n));
    if (namespaces.length > 0) out.push({ path: `${base}.namespaces`, reason: 'namespace exempted', detail: `PodSecurity exempts namespaces ${namespaces.map((x) => `"${x}"`).join(', ')}: only kube-system may be exempt` });
    return out;
  },
};
