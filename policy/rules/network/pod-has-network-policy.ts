import { join, podSitesIn } from '../../pod-spec';
import { selectorsByNamespace } from '../../selectors';
import { Rule, Violation } from '../../types';
import { CHECKED_NETWORK_POLICY } from './network-policy-apis';

export const podHasNetworkPolicy: Rule = {
  id: 'network/pod-has-network-policy',
  title: 'Every pod must be selected by NetworkPolicies for both ingress and egress',
  severity: 'medium',
  waivable: true,
  rationale: 'A pod that no NetworkPolicy selects accepts traffic from, and sends it to, anything: one compromised pod reaches the whole cluster. '
    + 'Only networking.k8s.io/v1 NetworkPolicies count: the API server refuses any other version while it applies the rest.',
  remediation: 'Deploy the workload into an IsolatedNamespace (default-deny ingress and egress) and declare its peers with allowFrom/allowTo/allowEgress.',
  manifestRemediation: 'Add a NetworkPolicy in the pod\'s namespace whose spec.podSelector selects the pod (e.g. podSelector: {} with policyTypes: [Ingress, Egress] as the default deny) and allow its peers in further policies.',
  references: [
    { source: 'CIS', id: '5.3.2' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network policies' },
    { source: 'kube-score', id: 'pod-networkpolicy' },
  ],
  check(object, context): Violation[] {
    const ns = object.metadata?.namespace ?? 'default';
    return podSitesIn(object, context).flatMap((site) => {
      const labels = site.metadata.labels ?? {};
      const covered = new Set<string>();
      for (const np of selectorsByNamespace(context, CHECKED_NETWORK_POLICY.apiVersion, CHECKED_NETWORK_POLICY.kind, (o) => o.spec?.podSelector).get(ns)?.selecting(labels) ?? []) {
        // The API server's defaulting: Ingress always; Egress only when egress has a rule (an empty
        // list is no egress isolation at all).
        const types: string[] = Array.isArray(np.spec?.policyTypes) ? np.spec.policyTypes : (Array.isArray(np.spec?.egress) && np.spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
        types.forEach((t) => covered.add(t));
      }
      const missing = ['Ingress', 'Egress'].filter((t) => !covered.has(t));
      return missing.length === 0 ? [] : [{
        path: join(site.metadataPath, 'labels'),
        reason: 'no network policy',
        detail: `pods are not selected by any NetworkPolicy for ${missing.join(' and ')} in namespace "${ns}"`,
      }];
    });
  },
};
