/**
 * Values the control-plane rules and the constructs that render control-plane files share, so
 * that a default and the rule that checks it can never drift apart.
 */

/**
 * TLS 1.2 cipher suites with forward secrecy and an AEAD cipher: the CIS Kubernetes Benchmark
 * v1.12 list for the kubelet (4.2.12), which is a subset of its API-server list (1.2.29). Go's
 * alias names ending in _SHA256 for the ChaCha20 suites are accepted as the same suites.
 */
export const STRONG_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
];

/** Every name a strong suite may be given (TLS 1.3 suites cannot be configured in Go, but may be listed). */
export const ACCEPTED_CIPHER_SUITES: ReadonlySet<string> = new Set([
  ...STRONG_CIPHER_SUITES,
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
]);

export const ACCEPTED_TLS_MIN_VERSIONS: ReadonlySet<string> = new Set(['VersionTLS12', 'VersionTLS13']);

/** Health endpoints a load balancer or the kubelet's probes read without credentials. */
export const HEALTH_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz'];
/** kubeadm's token discovery reads this one public ConfigMap anonymously (RBAC in kube-public allows it). */
export const KUBEADM_DISCOVERY_PATH = '/api/v1/namespaces/kube-public/configmaps/cluster-info';
/** The only paths anonymous requests may reach when anonymous authentication is on at all. */
export const ANONYMOUS_PATHS: ReadonlySet<string> = new Set([...HEALTH_PATHS, KUBEADM_DISCOVERY_PATH]);

/**
 * Secret values in rendered files are references, materialized on the node at provisioning
 * time: `bulwark-secret:<format>:env:<VARIABLE>` or `bulwark-secret:<format>:file:<path>`.
 */
export const SECRET_REF_PREFIX = 'bulwark-secret:';

export function isSecretRef(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(SECRET_REF_PREFIX);
}

/** PodSecurity levels, weakest first. */
export const POD_SECURITY_LEVELS: readonly string[] = ['privileged', 'baseline', 'restricted'];

/** The only namespace whose pods the cluster-wide PodSecurity defaults may exempt. */
export const EXEMPTIBLE_NAMESPACES: ReadonlySet<string> = new Set(['kube-system']);

/** Admission plugins that must be on, and the one that must never be (CIS 1.2.10 to 1.2.14). */
export const REQUIRED_ADMISSION_PLUGINS: readonly string[] = ['NamespaceLifecycle', 'ServiceAccount', 'NodeRestriction', 'PodSecurity', 'ValidatingAdmissionPolicy'];
/** Plugins the CIS benchmark recommends as "Manual" controls (1.2.3, 1.2.9, 1.2.11). */
export const HARDENING_ADMISSION_PLUGINS: readonly string[] = ['EventRateLimit', 'AlwaysPullImages', 'DenyServiceExternalIPs'];

/** CIS 1.2.17 to 1.2.19 minimums for the audit log backend. */
export const AUDIT_LOG_MINIMUMS = { 'audit-log-maxage': 30, 'audit-log-maxbackup': 10, 'audit-log-maxsize': 100 } as const;
