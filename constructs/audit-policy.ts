import { Construct } from 'constructs';
import { KubeObject } from '../policy';
import { AuditRule } from '../policy/rules/control-plane/audit-policy';
import { AUDIT_LOG_MINIMUMS } from '../policy/rules/control-plane/hardening';
import { ControlPlaneDocument, ControlPlaneDocumentProps } from './control-plane-document';
import { BulwarkError } from './errors';

const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * Known high-volume system requests, recorded at None. Each is scoped to one identity and to
 * reads or lease renewals, so none can hide a Secret read, an exec or a change of RBAC
 * (rule control-plane/audit-policy-coverage probes every user and group named here).
 */
const SYSTEM_NOISE: AuditRule[] = [
  { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'update'], namespaces: ['kube-node-lease'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
  { level: 'None', users: ['system:kube-scheduler', 'system:kube-controller-manager', 'system:apiserver'], verbs: ['get', 'update'], namespaces: ['kube-system'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
  { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics'] },
];

/** What must always be recorded, and how (rule control-plane/audit-policy-coverage, CIS 3.2.2). */
const SECURITY: AuditRule[] = [
  // The data of these is a credential: who and when, never the body.
  { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
  // Every interactive session into a pod or node, whatever the verb (websocket upgrades are "get").
  { level: 'Metadata', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy', 'nodes/proxy'] }] },
  // Changes that widen access or remove guardrails, in full.
  {
    level: 'RequestResponse',
    verbs: WRITES,
    resources: [
      { group: 'rbac.authorization.k8s.io' }, { group: 'admissionregistration.k8s.io' },
      { group: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'] },
      { group: 'networking.k8s.io', resources: ['networkpolicies'] }, { group: '', resources: ['namespaces'] },
    ],
  },
];

/** A None rule for a noisy controller: who (a user or group), which verbs, on what. */
export interface AuditIgnoreOptions {
  /** Usernames, e.g. "system:serviceaccount:team:controller". Set users or userGroups. @default - any user of userGroups */
  readonly users?: readonly string[];
  /** Groups. Set users or userGroups. @default - any group of users */
  readonly userGroups?: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: ReadonlyArray<{ readonly group: string; readonly resources: readonly string[]; readonly resourceNames?: readonly string[] }>;
  /** @default - every namespace */
  readonly namespaces?: readonly string[];
  /** Why these requests need no record; at least 20 characters, written into the file. */
  readonly reason: string;
}

/** Where the API server sends audit events (CIS 1.2.16 to 1.2.19). */
export class AuditBackend {
  /**
   * A log file on the control-plane node, rotated by the API server.
   * @param options.path @default "/var/log/kubernetes/audit/audit.log"
   * @param options.maxAgeDays @default 30 (CIS 1.2.17)
   * @param options.maxBackups @default 10 (CIS 1.2.18)
   * @param options.maxSizeMegabytes @default 100 (CIS 1.2.19)
   */
  public static log(options: { path?: string; maxAgeDays?: number; maxBackups?: number; maxSizeMegabytes?: number } = {}): AuditBackend {
    return new AuditBackend({
      'audit-log-path': options.path ?? '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': String(options.maxAgeDays ?? AUDIT_LOG_MINIMUMS['audit-log-maxage']),
      'audit-log-maxbackup': String(options.maxBackups ?? AUDIT_LOG_MINIMUMS['audit-log-maxbackup']),
      'audit-log-maxsize': String(options.maxSizeMegabytes ?? AUDIT_LOG_MINIMUMS['audit-log-maxsize']),
    });
  }

  /**
   * A webhook (a kubeconfig file on the node naming the receiver), in addition to the log file
   * CIS 1.2.16 asks for; alone it needs a Waiver of control-plane/apiserver-audit-log.
   * @param options.mode @default "batch"
   */
  public static webhook(options: { configFile: string; mode?: 'batch' | 'blocking' | 'blocking-strict' }): AuditBackend {
    return new AuditBackend({ 'audit-webhook-config-file': options.configFile, 'audit-webhook-mode': options.mode ?? 'batch' });
  }

  private constructor(public readonly flags: Readonly<Record<string, string>>) {}
}

export interface AuditPolicyProps extends ControlPlaneDocumentProps {
  /**
   * None rules for noisy controllers, placed after the security rules (so they can never hide a
   * Secret read, an exec or a change of RBAC) and before the Metadata catch-all.
   * @default - none beyond the built-in system reads (kube-proxy watches, node and lease renewals, health and metrics)
   */
  readonly ignore?: readonly AuditIgnoreOptions[];
  /**
   * @default [AuditBackend.log()] - a log file kept 30 days, 10 files of 100 MB (rule control-plane/apiserver-audit-log, CIS 1.2.16 to 1.2.19)
   */
  readonly backends?: readonly AuditBackend[];
}

/**
 * An audit.k8s.io/v1 Policy: Secrets, ConfigMaps, token requests and TokenReviews at Metadata
 * (never their data), exec/attach/port-forward/proxy always recorded, writes to RBAC, admission
 * policies and webhooks, CRDs, NetworkPolicies and Namespaces with their bodies, a Metadata
 * catch-all, the RequestReceived stage omitted, and known system noise at None
 * (rule control-plane/audit-policy-coverage, CIS 3.2.1 and 3.2.2).
 */
export class AuditPolicy extends ControlPlaneDocument {
  public readonly fileName = 'audit-policy.yaml';
  public readonly backends: readonly AuditBackend[];
  private readonly ignored: AuditRule[] = [];
  private readonly reasons: string[] = [];

  constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id, 'AuditPolicy', props);
    this.backends = [...(props.backends ?? [AuditBackend.log()])];
    if (this.backends.length === 0) {
      throw new BulwarkError(this.who, 'backends', [], 'control-plane/apiserver-audit-log', 'is empty, so no audit event would be kept', 'Leave backends out (a rotated log file) or list at least one backend.');
    }
    for (const rule of props.ignore ?? []) this.ignore(rule);
  }

  /**
   * Records nothing for a noisy controller's requests. Refused at once when the rule names no
   * user or group, or would silence a request that must be recorded (a Secret read, an exec, a
   * write to RBAC, ...) if it came first (rule control-plane/audit-policy-coverage).
   */
  public ignore(options: AuditIgnoreOptions): void {
    const who = (options.users?.length ?? 0) + (options.userGroups?.length ?? 0);
    if (who === 0) {
      throw new BulwarkError(this.who, 'ignore', options, 'control-plane/audit-policy-coverage', 'names no user or group, so it would silence everyone', 'Name the noisy controller in users (e.g. "system:serviceaccount:team:controller") or userGroups.');
    }
    if ((options.reason ?? '').trim().length < 20) {
      throw new BulwarkError(this.who, 'ignore reason', options.reason, 'control-plane/audit-policy-coverage', 'is too short', 'Say in at least 20 characters why these requests need no audit record.');
    }
    if (options.verbs.length === 0 || options.resources.length === 0) {
      throw new BulwarkError(this.who, 'ignore', options, 'control-plane/audit-policy-coverage', 'has no verbs or no resources, so it would match every request of the identity', 'List the exact verbs and resources that are noisy.');
    }
    const rule: AuditRule = {
      level: 'None',
      ...(options.users?.length ? { users: [...options.users] } : {}),
      ...(options.userGroups?.length ? { userGroups: [...options.userGroups] } : {}),
      verbs: [...options.verbs],
      ...(options.namespaces?.length ? { namespaces: [...options.namespaces] } : {}),
      resources: options.resources.map((r) => ({ group: r.group, resources: [...r.resources], ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}) })),
    };
    // Checked as if it came first: a None rule that only the order keeps harmless is still refused.
    this.check(this.render([rule, ...SECURITY], []), () => ({ prop: 'ignore', value: { ...rule, reason: options.reason } }));
    this.ignored.push(rule);
    this.reasons.push(options.reason);
  }

  public toDocument(): KubeObject {
    return this.render([...SYSTEM_NOISE, ...SECURITY], this.ignored);
  }

  /** kube-apiserver flags that load this policy and send its events to the backends. */
  public apiServerFlags(configDirectory: string): Record<string, string> {
    return Object.assign({ 'audit-policy-file': `${configDirectory}/${this.fileName}` }, ...this.backends.map((b) => b.flags));
  }

  /** The directory the log backend writes into, when there is a log backend. */
  public get logDirectory(): string | undefined {
    const file = this.backends.map((b) => b.flags['audit-log-path']).find((p) => p !== undefined);
    return file === undefined ? undefined : file.slice(0, file.lastIndexOf('/')) || '/';
  }

  protected headerLines(): string[] {
    return [
      'Audit policy for kube-apiserver (--audit-policy-file), rendered by Bulwark (AuditPolicy).',
      'Secrets, ConfigMaps, token requests and TokenReviews: Metadata only (never their data).',
      'exec, attach, port-forward and proxy: always recorded. RBAC, admission, CRD, NetworkPolicy and Namespace writes: RequestResponse.',
      'Rules: control-plane/audit-policy-coverage (CIS 3.2.1, 3.2.2); log retention: control-plane/apiserver-audit-log (CIS 1.2.16-1.2.19).',
      ...this.reasons.map((r, i) => `Ignored (rules after the security rules, #${i + 1}): ${r}`),
    ];
  }

  private render(rules: readonly AuditRule[], extra: readonly AuditRule[]): KubeObject {
    return {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      // The RequestReceived stage duplicates every event without adding anything.
      omitStages: ['RequestReceived'],
      // managedFields only add volume to RequestResponse events.
      omitManagedFields: true,
      rules: [...rules, ...extra, { level: 'Metadata' }],
    };
  }
}
