import { Rule, Violation } from '../../types';
import { uncheckableNetworkPolicy } from './network-policy-apis';

export const uncheckableNetworkPolicies: Rule = {
  id: 'network/uncheckable-network-policies',
  title: 'Network policies must be networking.k8s.io/v1 NetworkPolicies, the only kind Bulwark checks',
  severity: 'high',
  waivable: true,
  rationale: 'The network rules read networking.k8s.io/v1 NetworkPolicies. A CNI\'s own policy API (CiliumNetworkPolicy, '
    + 'CiliumClusterwideNetworkPolicy, Calico\'s NetworkPolicy and GlobalNetworkPolicy, Antrea\'s policies), the cluster-wide '
    + 'AdminNetworkPolicy and BaselineAdminNetworkPolicy, or the sets and tiers they select, is enforced beside them and can allow what '
    + 'they deny: egress to the cloud metadata endpoint, ingress from every namespace, traffic to another team. None of it is checked, '
    + 'so each such object fails closed here until someone reviews it. A NetworkPolicy of any other version than v1 is refused by '
    + 'the API server while the rest of the manifests apply: it protects nothing, yet would look like coverage.',
  remediation: 'Express the policy as networking.k8s.io/v1 NetworkPolicies (SecureWorkload.allowFrom, allowTo, allowEgress, IsolatedNamespace); where the CNI\'s own API is really needed (L7 or FQDN rules, cluster-wide tiers), waive this rule on the object with the reason it was reviewed.',
  manifestRemediation: 'Rewrite the policy as an apiVersion: networking.k8s.io/v1, kind: NetworkPolicy with podSelector, policyTypes, ingress[].from and egress[].to; keep a CNI-specific policy only with a bulwark.dev/waivers entry for this rule saying who reviewed it.',
  references: [
    { source: 'Kubernetes', id: 'Network Policies', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/' },
    { source: 'Kubernetes SIG Network', id: 'AdminNetworkPolicy', url: 'https://network-policy-api.sigs.k8s.io/' },
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation and hardening' },
  ],
  check(object): Violation[] {
    const why = uncheckableNetworkPolicy(object);
    return why ? [{ path: 'apiVersion', reason: 'uncheckable network policy', detail: why }] : [];
  },
};
