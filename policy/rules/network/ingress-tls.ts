import { Rule, Violation } from '../../types';

/** True when a TLS entry's host pattern covers `host` (exact, or one "*." label). */
function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.slice(0, host.length - pattern.length + 1).includes('.');
}

export const ingressTls: Rule = {
  id: 'network/ingress-tls',
  title: 'Every host an Ingress serves must be served over TLS',
  severity: 'high',
  waivable: true,
  rationale: 'Without TLS, credentials, session cookies and data cross the network in clear text, and anyone on the path can read or change them.',
  remediation: 'List every rule host in spec.tls[].hosts with the Secret holding its certificate (SecureWorkload.exposeViaIngress({ tlsSecretName })), or attach the route to an HTTPS listener of a Gateway (exposeViaRoute).',
  manifestRemediation: 'Add spec.tls[] entries whose hosts list every spec.rules[].host, with the secretName holding its certificate; for an HTTPRoute, set parentRefs[].sectionName to an HTTPS listener.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation and hardening (encrypt traffic)' },
    { source: 'Kubernetes', id: 'Ingress: TLS', url: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls' },
  ],
  check(object): Violation[] {
    if (object.kind !== 'Ingress' || !String(object.apiVersion).startsWith('networking.k8s.io/')) return [];
    const tlsHosts: string[] = (Array.isArray(object.spec?.tls) ? object.spec.tls : []).flatMap((t: any) => (Array.isArray(t?.hosts) ? t.hosts.map(String) : []));
    const rules: any[] = Array.isArray(object.spec?.rules) ? object.spec.rules : [];
    const out: Violation[] = [];
    rules.forEach((r, i) => {
      const host = typeof r?.host === 'string' ? r.host : undefined;
      if (host === undefined) {
        out.push({ path: `spec.rules[${i}]`, reason: 'plain HTTP ingress', detail: `rule ${i} has no host, so it answers every host name, with no certificate` });
      } else if (!tlsHosts.some((p) => covers(p, host))) {
        out.push({ path: `spec.rules[${i}].host`, reason: 'plain HTTP ingress', detail: `host "${host}" is not listed in spec.tls[].hosts` });
      }
    });
    if (object.spec?.defaultBackend && tlsHosts.length === 0) {
      out.push({ path: 'spec.defaultBackend', reason: 'plain HTTP ingress', detail: 'the default backend is served without TLS' });
    }
    return out;
  },
};
