/**
 * Controls for the compliance report: what each rule applies to, and how the rules map onto the
 * Pod Security Standards, the CIS Kubernetes Benchmark, the NSA/CISA Kubernetes Hardening Guidance
 * and Bulwark's own practices. The mapping is read from each rule's references (a CIS id, a PSS
 * check, an NSA/CISA section named in the reference); the framework lists below say, control by
 * control, what no rule covers. docs/coverage.md is rendered from this module.
 */
import { CATALOG } from './catalog';
import { podSpecOf } from './pod-spec';
import { isNamespaced } from './scope';
import { KubeObject, Rule, WAIVERS_ANNOTATION } from './types';

// ---------------------------------------------------------------------------------------------
// What a rule applies to.

const POD = 'pod';
type Scope = typeof POD | 'any-namespaced' | 'configuration' | 'waivers' | readonly string[];

const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

/** Rules whose subjects are not pod-bearing objects: the kinds they read. */
const SCOPES: Readonly<Record<string, Scope>> = {
  'namespaces/no-default-namespace': 'any-namespaced',
  'namespaces/pod-security-labels': ['Namespace'],
  'namespaces/no-pod-security-downgrade': ['Namespace'],
  'network/no-metadata-egress': ['NetworkPolicy'],
  'network/no-allow-all-ingress': ['NetworkPolicy'],
  'network/cross-team-traffic': ['NetworkPolicy'],
  'network/no-external-services': ['Service', 'ResourceQuota', 'Namespace'],
  'network/no-external-ips': ['Service'],
  'network/ingress-tls': ['Ingress', 'HTTPRoute'],
  'rbac/no-wildcards': ROLE_KINDS,
  'rbac/no-escalation-verbs': ROLE_KINDS,
  'rbac/no-exec-attach': ROLE_KINDS,
  'rbac/secrets-by-name': ROLE_KINDS,
  'rbac/no-sensitive-apis': ROLE_KINDS,
  'rbac/no-aggregation-to-builtin': ['ClusterRole'],
  'rbac/no-namespace-node-mutation': ROLE_KINDS,
  'rbac/no-admission-policy-changes': ROLE_KINDS,
  'rbac/no-secret-creation': ROLE_KINDS,
  'rbac/no-privileged-bindings': BINDING_KINDS,
  'rbac/no-system-role-bindings': BINDING_KINDS,
  'rbac/no-catch-all-subjects': BINDING_KINDS,
  'rbac/no-cross-namespace-workloads': BINDING_KINDS,
  'workloads/autoscaler-owns-replicas': ['Deployment', 'StatefulSet', 'ReplicaSet'],
  'waivers/valid-waiver': 'waivers',
};

/** A rule the table does not name is read by its domain. */
const DOMAIN_SCOPES: Readonly<Record<string, Scope>> = {
  'control-plane': 'configuration',
  rbac: [...ROLE_KINDS, ...BINDING_KINDS],
  network: ['NetworkPolicy', 'Service', 'Ingress', 'HTTPRoute', 'Gateway'],
  storage: ['PersistentVolume', 'PersistentVolumeClaim', 'StorageClass'],
  namespaces: ['Namespace'],
};

function scopeOf(rule: Pick<Rule, 'id'>): Scope {
  if (SCOPES[rule.id]) return SCOPES[rule.id];
  if (rule.id === 'network/pod-has-network-policy') return POD;
  // pod-security/, images/, workloads/, nodes/: every pod spec.
  return DOMAIN_SCOPES[rule.id.split('/')[0]] ?? POD;
}

/** True when the table names the rule's subjects, or its domain's subjects are pod specs by definition. */
export function hasExplicitScope(rule: Pick<Rule, 'id'>): boolean {
  return SCOPES[rule.id] !== undefined || /^(pod-security|images)\//.test(rule.id);
}

/**
 * True when the rule judges objects like this one (its finding or its silence means something).
 * A rule's finding always counts in the report, whatever this says: it only decides where a rule
 * is said to hold.
 */
export function ruleApplies(rule: Pick<Rule, 'id'>, object: KubeObject): boolean {
  const scope = scopeOf(rule);
  if (scope === POD) return podSpecOf(object) !== undefined;
  if (scope === 'any-namespaced') return isNamespaced(object.apiVersion, object.kind);
  if (scope === 'configuration') return !isNamespaced(object.apiVersion, object.kind) && /config\.k8s\.io|audit\.k8s\.io|kubeadm\.k8s\.io|controlplane\.bulwark\.dev|apiserver/.test(String(object.apiVersion));
  if (scope === 'waivers') return Object.keys(object.metadata?.annotations ?? {}).some((k) => k === WAIVERS_ANNOTATION || k.startsWith('waiver.bulwark.dev/'));
  return scope.includes(object.kind);
}

/** A workload: an object that carries a pod template (or is a Pod). */
export function isWorkload(object: KubeObject): boolean {
  return podSpecOf(object) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Frameworks.

export interface FrameworkControl {
  readonly id: string;
  readonly title: string;
  /** Catalog rules that check it (from their references, or the match below). */
  readonly rules: readonly string[];
  /** Why nothing covers it, or what part is covered, when that needs saying. */
  readonly note?: string;
}

export interface Framework {
  readonly id: 'pss' | 'cis' | 'nsa' | 'bulwark';
  readonly name: string;
  readonly edition: string;
  readonly controls: readonly FrameworkControl[];
}

/** The Pod Security Standards' controls, keyed by the pod-security-admission check ids rules cite. */
const PSS: ReadonlyArray<{ id: string; title: string; checks: string[] }> = [
  { id: 'baseline/HostProcess', title: 'HostProcess (Windows)', checks: ['windowsHostProcess'] },
  { id: 'baseline/Host Namespaces', title: 'Host Namespaces', checks: ['hostNamespaces'] },
  { id: 'baseline/Privileged Containers', title: 'Privileged Containers', checks: ['privileged'] },
  { id: 'baseline/Capabilities', title: 'Capabilities (baseline)', checks: ['capabilities_baseline'] },
  { id: 'baseline/HostPath Volumes', title: 'HostPath Volumes', checks: ['hostPathVolumes'] },
  { id: 'baseline/Host Ports', title: 'Host Ports', checks: ['hostPorts'] },
  { id: 'baseline/Host Probes / Lifecycle Hooks', title: 'Host Probes / Lifecycle Hooks (v1.34+)', checks: ['hostProbesAndHostLifecycle'] },
  { id: 'baseline/AppArmor', title: 'AppArmor', checks: ['appArmorProfile'] },
  { id: 'baseline/SELinux', title: 'SELinux', checks: ['seLinuxOptions'] },
  { id: 'baseline/proc Mount Type', title: '/proc Mount Type', checks: ['procMount', 'procMount_restricted'] },
  { id: 'baseline/Seccomp', title: 'Seccomp (baseline)', checks: ['seccompProfile_baseline'] },
  { id: 'baseline/Sysctls', title: 'Sysctls', checks: ['sysctls'] },
  { id: 'restricted/Volume Types', title: 'Volume Types', checks: ['restrictedVolumes'] },
  { id: 'restricted/Privilege Escalation', title: 'Privilege Escalation', checks: ['allowPrivilegeEscalation'] },
  { id: 'restricted/Running as Non-root', title: 'Running as Non-root', checks: ['runAsNonRoot'] },
  { id: 'restricted/Running as Non-root user', title: 'Running as Non-root user', checks: ['runAsUser'] },
  { id: 'restricted/Seccomp', title: 'Seccomp (restricted)', checks: ['seccompProfile_restricted'] },
  { id: 'restricted/Capabilities', title: 'Capabilities (restricted)', checks: ['capabilities_restricted'] },
];

/**
 * CIS Kubernetes Benchmark: section 5 (policies) control by control, sections 1 to 4 (control
 * plane, etcd, control plane configuration, worker nodes) by subsection. Numbering of v1.9-v1.10.
 */
const CIS: ReadonlyArray<{ id: string; title: string; note?: string }> = [
  { id: '1.1', title: 'Control plane node configuration files (ownership and permissions)', note: 'File permissions on the nodes are not checked: Bulwark renders the files, the node\'s provisioning owns their modes.' },
  { id: '1.2', title: 'API server flags' },
  { id: '1.3', title: 'Controller manager flags' },
  { id: '1.4', title: 'Scheduler flags' },
  { id: '2', title: 'etcd (TLS, client and peer authentication)', note: 'etcd\'s own configuration is not rendered or checked.' },
  { id: '3.1', title: 'Authentication and authorization (no client certificates for users, OIDC)' },
  { id: '3.2', title: 'Logging (audit policy)' },
  { id: '4.1', title: 'Worker node configuration files (ownership and permissions)', note: 'File permissions on the nodes are not checked.' },
  { id: '4.2', title: 'Kubelet configuration' },
  { id: '4.3', title: 'kube-proxy (metrics bound to localhost)', note: 'kube-proxy\'s configuration is not rendered or checked.' },
  { id: '5.1.1', title: 'The cluster-admin role is only used where required' },
  { id: '5.1.2', title: 'Minimize access to secrets' },
  { id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles' },
  { id: '5.1.4', title: 'Minimize access to create pods' },
  { id: '5.1.5', title: 'Default service accounts are not actively used' },
  { id: '5.1.6', title: 'Service account tokens are only mounted where necessary' },
  { id: '5.1.7', title: 'Avoid use of the system:masters group' },
  { id: '5.1.8', title: 'Limit the bind, impersonate and escalate permissions' },
  { id: '5.1.9', title: 'Minimize access to create persistent volumes' },
  { id: '5.1.10', title: 'Minimize access to the proxy sub-resource of nodes' },
  { id: '5.1.11', title: 'Minimize access to the approval sub-resource of certificatesigningrequests' },
  { id: '5.1.12', title: 'Minimize access to webhook configuration objects' },
  { id: '5.1.13', title: 'Minimize access to the service account token creation' },
  { id: '5.2.1', title: 'The cluster has at least one active policy control mechanism' },
  { id: '5.2.2', title: 'Minimize the admission of privileged containers' },
  { id: '5.2.3', title: 'Minimize containers sharing the host process ID namespace' },
  { id: '5.2.4', title: 'Minimize containers sharing the host IPC namespace' },
  { id: '5.2.5', title: 'Minimize containers sharing the host network namespace' },
  { id: '5.2.6', title: 'Minimize containers with allowPrivilegeEscalation' },
  { id: '5.2.7', title: 'Minimize the admission of root containers' },
  { id: '5.2.8', title: 'Minimize containers with the NET_RAW capability', note: 'Covered where capabilities-restricted applies (drop ALL); no rule looks for NET_RAW alone.' },
  { id: '5.2.9', title: 'Minimize containers with added capabilities' },
  { id: '5.2.10', title: 'Minimize containers with capabilities assigned' },
  { id: '5.2.11', title: 'Minimize Windows HostProcess containers' },
  { id: '5.2.12', title: 'Minimize HostPath volumes' },
  { id: '5.2.13', title: 'Minimize containers which use HostPorts' },
  { id: '5.3.1', title: 'The CNI in use supports NetworkPolicies', note: 'A property of the cluster\'s network plugin, not of any manifest.' },
  { id: '5.3.2', title: 'All namespaces have NetworkPolicies defined' },
  { id: '5.4.1', title: 'Prefer secrets as files over secrets as environment variables' },
  { id: '5.4.2', title: 'Consider external secret storage', note: 'Bulwark references Secrets by name; where they come from is the platform\'s choice.' },
  { id: '5.5.1', title: 'Configure image provenance (ImagePolicyWebhook)', note: 'Digests and trusted registries are checked; signatures are not verified.' },
  { id: '5.7.1', title: 'Administrative boundaries between resources using namespaces' },
  { id: '5.7.2', title: 'The seccomp profile is set to RuntimeDefault in pod definitions' },
  { id: '5.7.3', title: 'Apply a security context to pods and containers', note: 'No rule cites it alone: the Pod Security rules and workloads/high-uid-gid and read-only-root-filesystem check the security context field by field.' },
  { id: '5.7.4', title: 'The default namespace should not be used' },
];

/** NSA/CISA Kubernetes Hardening Guidance (v1.2, August 2022), its sections; `match` reads rule references. */
const NSA: ReadonlyArray<{ id: string; title: string; match?: RegExp; cis?: RegExp; pss?: boolean; note?: string }> = [
  { id: 'pod/non-root', title: 'Non-root containers and rootless container engines', match: /non-root/i, cis: /^5\.2\.7$/ },
  { id: 'pod/immutable', title: 'Immutable container file systems', match: /immutable/i },
  { id: 'pod/images', title: 'Building secure container images (scanning, provenance)', match: /image/i, note: 'Digests and trusted registries only: images are not scanned for vulnerabilities.' },
  { id: 'pod/security-enforcement', title: 'Pod security enforcement', pss: true, cis: /^5\.2\.1$/ },
  { id: 'pod/service-account-tokens', title: 'Protecting Pod service account tokens', match: /service account token/i },
  { id: 'pod/sandboxing', title: 'Hardening container environments (sandboxed runtimes, hypervisors)', note: 'RuntimeClass and sandboxed runtimes are not checked.' },
  { id: 'network/namespaces', title: 'Namespaces', match: /namespaces/i, cis: /^5\.7\.[14]$/ },
  { id: 'network/policies', title: 'Network policies', match: /network polic|network separation$/i },
  { id: 'network/resource-policies', title: 'Resource policies (requests, limits, quotas)', match: /resource polic/i },
  { id: 'network/control-plane', title: 'Control plane hardening', cis: /^1\.2\./ },
  { id: 'network/etcd', title: 'Etcd', note: 'etcd\'s configuration is not checked (CIS section 2).' },
  { id: 'network/kubeconfig', title: 'Kubeconfig files', note: 'Kubeconfig files on nodes and workstations are not checked.' },
  { id: 'network/worker-segmentation', title: 'Worker node segmentation', match: /dedicated nodes/i },
  { id: 'network/encryption', title: 'Encryption (TLS for traffic)', match: /encrypt traffic/i, cis: /^(1\.2\.29|4\.2\.(9|10|11|12))$/ },
  { id: 'network/secrets', title: 'Secrets (encryption at rest)', match: /Secrets/, cis: /^1\.2\.2[78]$/ },
  { id: 'network/cloud-metadata', title: 'Protecting sensitive cloud infrastructure (metadata endpoints)', match: /network separation$/i },
  { id: 'auth/authentication', title: 'Authentication', cis: /^(1\.2\.[12]|3\.1\.\d+|4\.2\.[13])$/ },
  { id: 'auth/rbac', title: 'Role-based access control', cis: /^(5\.1\.\d+|1\.2\.[678])$/ },
  { id: 'logging/audit', title: 'Kubernetes native audit logging configuration', cis: /^(1\.2\.1[6-9]|3\.2\.\d)$/ },
  { id: 'logging/nodes', title: 'Worker node and container logging', note: 'Node and container log shipping is not checked.' },
  { id: 'logging/threat-detection', title: 'Threat detection, alerting and SIEM integration', note: 'Out of scope: Bulwark checks configuration, not runtime behaviour.' },
  { id: 'upgrading', title: 'Upgrading and application security practices', note: 'Bulwark refuses end-of-life Kubernetes minors at synth; no rule checks the running version.' },
];

/** The CIS ids a reference names ("5.1.1, 5.1.7" -> both). */
function cisIds(id: string): string[] {
  return id.match(/\d+(?:\.\d+)+|\b\d\b/g) ?? [];
}

/** Every framework, with the rules of `rules` (the catalog by default) mapped onto its controls. */
export function frameworks(rules: readonly Rule[] = CATALOG): Framework[] {
  const refs = (r: Rule, source: string) => r.references.filter((x) => x.source === source || x.source.startsWith(`${source} `));
  const cisOf = (r: Rule) => refs(r, 'CIS').flatMap((x) => cisIds(x.id));
  const pss: Framework = {
    id: 'pss',
    name: 'Pod Security Standards',
    edition: 'Kubernetes v1.36',
    controls: PSS.map((c) => ({
      id: c.id,
      title: c.title,
      rules: rules.filter((r) => refs(r, 'PSS').some((x) => c.checks.some((check) => x.id.endsWith(`: ${check}`)))).map((r) => r.id),
    })),
  };
  const cis: Framework = {
    id: 'cis',
    name: 'CIS Kubernetes Benchmark',
    edition: 'v1.9-v1.10 numbering; section 5 control by control, sections 1-4 by subsection',
    controls: CIS.map((c) => ({
      id: c.id,
      title: c.title,
      rules: rules.filter((r) => cisOf(r).some((id) => id === c.id || (c.id.split('.').length < 3 && id.startsWith(`${c.id}.`)))).map((r) => r.id),
      ...(c.note ? { note: c.note } : {}),
    })),
  };
  const nsa: Framework = {
    id: 'nsa',
    name: 'NSA/CISA Kubernetes Hardening Guidance',
    edition: 'v1.2 (August 2022), by section',
    controls: NSA.map((c) => ({
      id: c.id,
      title: c.title,
      rules: rules.filter((r) => (c.match && refs(r, 'NSA/CISA').some((x) => c.match!.test(x.id)))
        || (c.cis && cisOf(r).some((id) => c.cis!.test(id)))
        || (c.pss && refs(r, 'PSS').length > 0)).map((r) => r.id),
      ...(c.note ? { note: c.note } : {}),
    })),
  };
  const bulwark: Framework = {
    id: 'bulwark',
    name: 'Bulwark practices',
    edition: 'pack bulwark-recommended: hardening beyond the standards',
    controls: rules.filter((r) => !r.id.startsWith('pod-security/') && !r.id.startsWith('control-plane/')).map((r) => ({ id: r.id, title: r.title, rules: [r.id] })),
  };
  return [pss, cis, nsa, bulwark];
}

/** docs/coverage.md: every framework control and the rules that check it, uncovered ones listed. */
export function renderCoverageMarkdown(): string {
  const out = [
    '# Coverage of the standards',
    '',
    '<!-- Generated from policy/controls.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Which controls of the Pod Security Standards, the CIS Kubernetes Benchmark and the NSA/CISA Kubernetes',
    'Hardening Guidance Bulwark\'s rules check, read from each rule\'s references, and which no rule checks.',
    '`bulwark report` prints the same lists. A control with rules is checked as far as those rules go; the',
    'notes say where that is less than the whole control.',
    '',
  ];
  for (const f of frameworks().filter((x) => x.id !== 'bulwark')) {
    const uncovered = f.controls.filter((c) => c.rules.length === 0);
    out.push(`## ${f.name}`, '', `${f.edition}. ${f.controls.length - uncovered.length} of ${f.controls.length} controls covered.`, '');
    out.push('| control | title | rules | note |', '|---|---|---|---|');
    for (const c of f.controls) out.push(`| ${c.id} | ${c.title} | ${c.rules.length ? c.rules.map((r) => `\`${r}\``).join(', ') : '**not covered**'} | ${c.note ?? ''} |`);
    out.push('', `Not covered: ${uncovered.length ? uncovered.map((c) => `${c.id} ${c.title}`).join('; ') : 'none'}.`, '');
  }
  return out.join('\n');
}
