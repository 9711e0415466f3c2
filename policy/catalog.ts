import { digestPinned } from './rules/images/digest-pinned';
import { trustedRegistry } from './rules/images/trusted-registry';
import { noDefaultNamespace } from './rules/namespaces/no-default-namespace';
import { noPodSecurityDowngrade } from './rules/namespaces/no-pod-security-downgrade';
import { podSecurityLabels } from './rules/namespaces/pod-security-labels';
import { dedicatedPoolToleration } from './rules/nodes/dedicated-pool-toleration';
import { noControlPlaneNodes } from './rules/nodes/no-control-plane-nodes';
import { noNodeName } from './rules/nodes/no-node-name';
import { runtimeClassScheduling } from './rules/nodes/runtime-class-scheduling';
import { noRuntimeAnnotations } from './rules/workloads/no-runtime-annotations';
import { sensitiveOnDedicatedPool } from './rules/nodes/sensitive-on-dedicated-pool';
import { noAllowAllIngress } from './rules/network/no-allow-all-ingress';
import { noExternalIps } from './rules/network/no-external-ips';
import { noManualEndpoints } from './rules/network/no-manual-endpoints';
import { crossTeamTraffic } from './rules/network/cross-team-traffic';
import { ingressTls } from './rules/network/ingress-tls';
import { noExternalServices } from './rules/network/no-external-services';
import { noMetadataEgress } from './rules/network/no-metadata-egress';
import { podHasNetworkPolicy } from './rules/network/pod-has-network-policy';
import { POD_SECURITY_RULES } from './rules/pod-security';
import { noCrossNamespaceWorkloads } from './rules/rbac/no-cross-namespace-workloads';
import { noEscalationVerbs } from './rules/rbac/no-escalation-verbs';
import { noExecAttach } from './rules/rbac/no-exec-attach';
import { noPrivilegedBindings } from './rules/rbac/no-privileged-bindings';
import { noSensitiveApis } from './rules/rbac/no-sensitive-apis';
import { noWildcards } from './rules/rbac/no-wildcards';
import { secretsByName } from './rules/rbac/secrets-by-name';
import { noAdmissionPolicyChanges } from './rules/rbac/no-admission-policy-changes';
import { noAggregationToBuiltin } from './rules/rbac/no-aggregation-to-builtin';
import { noCatchAllSubjects } from './rules/rbac/no-catch-all-subjects';
import { noNamespaceNodeMutation } from './rules/rbac/no-namespace-node-mutation';
import { noSecretCreation } from './rules/rbac/no-secret-creation';
import { noSystemRoleBindings } from './rules/rbac/no-system-role-bindings';
import { noBuiltinRbacChanges } from './rules/rbac/no-builtin-rbac-changes';
import { noTrafficRedirection } from './rules/rbac/no-traffic-redirection';
import { noLongLivedTokens } from './rules/rbac/no-long-lived-tokens';
import { uncheckableNetworkPolicies } from './rules/network/uncheckable-network-policies';
import { noHostPathPersistentVolumes } from './rules/storage/no-host-path-persistent-volumes';
import { staticPersistentVolumes } from './rules/storage/static-persistent-volumes';
import { uncheckableContainers } from './rules/workloads/uncheckable-containers';
import { validWaiver } from './rules/waivers/valid-waiver';
import { dedicatedServiceAccount } from './rules/workloads/dedicated-service-account';
import { autoscalerOwnsReplicas } from './rules/workloads/autoscaler-owns-replicas';
import { disruptionBudget } from './rules/workloads/disruption-budget';
import { highUidGid } from './rules/workloads/high-uid-gid';
import { probes } from './rules/workloads/probes';
import { readOnlyRootFilesystem } from './rules/workloads/read-only-root-filesystem';
import { resources } from './rules/workloads/resources';
import { secretsAsFiles } from './rules/workloads/secrets-as-files';
import { serviceAccountToken } from './rules/workloads/service-account-token';
import { spread } from './rules/workloads/spread';
import { CONTROL_PLANE_RULES } from './rules/control-plane';
import { Rule, RuleMeta } from './types';

/** Bulwark's hardening rules beyond the Pod Security Standards. */
export const RECOMMENDED_RULES: readonly Rule[] = [
  digestPinned, trustedRegistry, readOnlyRootFilesystem, resources, probes, secretsAsFiles, serviceAccountToken,
  dedicatedServiceAccount, highUidGid, disruptionBudget, autoscalerOwnsReplicas, spread, noDefaultNamespace, podSecurityLabels, noPodSecurityDowngrade, podHasNetworkPolicy,
  noMetadataEgress, noAllowAllIngress, noExternalServices, noExternalIps, noManualEndpoints, ingressTls, crossTeamTraffic,
  noWildcards, noEscalationVerbs, noExecAttach, secretsByName, noPrivilegedBindings, noSensitiveApis,
  noSystemRoleBindings, noAggregationToBuiltin, noCatchAllSubjects, noNamespaceNodeMutation, noAdmissionPolicyChanges, noSecretCreation,
  noCrossNamespaceWorkloads, dedicatedPoolToleration, sensitiveOnDedicatedPool, noNodeName, noControlPlaneNodes, runtimeClassScheduling, noRuntimeAnnotations,
  noBuiltinRbacChanges, noTrafficRedirection, noLongLivedTokens, uncheckableNetworkPolicies, uncheckableContainers,
  noHostPathPersistentVolumes, staticPersistentVolumes,
];

/** The one rule catalog: synth-time validation, matchers, the CLI and docs all read it. */
export const CATALOG: readonly Rule[] = [...POD_SECURITY_RULES, ...RECOMMENDED_RULES, ...CONTROL_PLANE_RULES, validWaiver];

export const CATALOG_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(CATALOG.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return CATALOG.find((r) => r.id === id);
}
