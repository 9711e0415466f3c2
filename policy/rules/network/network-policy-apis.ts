import { apiGroupOf } from '../../config-files';
import { KubeObject } from '../../types';

/** The one network-policy API Bulwark analyses: what the network rules read and count. */
export const CHECKED_NETWORK_POLICY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' } as const;

/**
 * Network-policy APIs Bulwark cannot analyse, in one place: API group -> the kinds of that group
 * that allow, deny or redirect traffic, or feed the selectors of policies that do ('*': every kind
 * of the group). Any of them can open what a networking.k8s.io/v1 NetworkPolicy closes (the
 * metadata endpoint, another team's pods), so each is flagged by network/uncheckable-network-policies.
 * Besides these, every kind whose name ends in "NetworkPolicy", in any API group, is flagged too.
 */
export const UNCHECKABLE_NETWORK_POLICY_APIS: Readonly<Record<string, readonly string[]>> = {
  // Cilium: L3-L7 policies (namespaced and cluster-wide) and the CIDR groups they name.
  'cilium.io': ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'CiliumCIDRGroup'],
  // Calico, through its API server (projectcalico.org) and as raw CRDs (crd.projectcalico.org):
  // policies, staged policies, tiers that order them, and the network sets their selectors match.
  ...Object.fromEntries(['projectcalico.org', 'crd.projectcalico.org'].map((g) => [g, [
    'NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy',
    'Tier', 'NetworkSet', 'GlobalNetworkSet',
  ]])),
  // Kubernetes SIG Network's AdminNetworkPolicy, BaselineAdminNetworkPolicy and their successors.
  'policy.networking.k8s.io': ['*'],
  // Antrea's policies, tiers and the groups they select.
  'crd.antrea.io': ['NetworkPolicy', 'ClusterNetworkPolicy', 'Tier', 'ClusterGroup', 'Group'],
  // OVN-Kubernetes and OpenShift egress firewalls.
  'k8s.ovn.org': ['EgressFirewall'],
  'network.openshift.io': ['EgressNetworkPolicy'],
  // GKE's FQDN policies.
  'networking.gke.io': ['FQDNNetworkPolicy'],
};

/**
 * True for a NetworkPolicy of the networking.k8s.io group, whatever its version: the network
 * rules check each one (an unserved version is also flagged by network/uncheckable-network-policies).
 */
export function isNetworkPolicy(o: KubeObject): boolean {
  return !!o && o.kind === CHECKED_NETWORK_POLICY.kind && apiGroupOf(o.apiVersion) === 'networking.k8s.io';
}

/**
 * True for a networking.k8s.io/v1 NetworkPolicy, the only version the API server serves: the only
 * objects that count as coverage. Any other (v1alpha1, v1beta1, extensions/v1beta1) is refused by
 * the API server while the rest of the manifests apply, so it protects nothing.
 */
export function isServedNetworkPolicy(o: KubeObject): boolean {
  return !!o && o.kind === CHECKED_NETWORK_POLICY.kind && o.apiVersion === CHECKED_NETWORK_POLICY.apiVersion;
}

/** Why Bulwark cannot check this object's network policy, or undefined when it is none or is checked. */
export function uncheckableNetworkPolicy(o: KubeObject): string | undefined {
  if (!o || typeof o.kind !== 'string' || isServedNetworkPolicy(o)) return undefined;
  const group = apiGroupOf(o.apiVersion);
  if (o.kind === CHECKED_NETWORK_POLICY.kind && (group === 'networking.k8s.io' || group === 'extensions')) {
    return `${o.apiVersion} is not served by the API server, which refuses this NetworkPolicy while it applies the rest: it protects nothing`;
  }
  const kinds = UNCHECKABLE_NETWORK_POLICY_APIS[group];
  if ((kinds && (kinds.includes('*') || kinds.includes(o.kind))) || /NetworkPolicy$/.test(o.kind)) {
    return `${o.kind} (${o.apiVersion}) is a network policy Bulwark cannot check: it may allow what the NetworkPolicies deny, the metadata endpoint or another team's pods included`;
  }
  return undefined;
}
