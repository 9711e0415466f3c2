/**
 * Shared contracts of the policy engine. Rules, the engine, the matchers and the constructs
 * all depend on this module and nothing in it depends on them.
 */

/** A Kubernetes object as plain JSON, the way cdk8s synthesizes it or YAML parses it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: any;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly [field: string]: any;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Where the same control is checked elsewhere. Every rule cites at least one. */
export interface Reference {
  /** e.g. 'PSS', 'CIS', 'NSA/CISA', 'kube-linter', 'Polaris', 'kube-score', 'Checkov', 'Trivy'. */
  readonly source: string;
  /** The control or check id in that source, e.g. 'CKV_K8S_20' or '5.2.5'. */
  readonly id: string;
  readonly url?: string;
}

/** Metadata of a rule: data beside the logic, rendered into docs/rules.md. */
export interface RuleMeta {
  /** '<domain>/<name>', e.g. 'pod-security/privileged'. Public API: never renamed. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists. */
  readonly rationale: string;
  /** How to fix a finding; ends with a period. */
  readonly remediation: string;
  /**
   * The fix phrased for a raw manifest (Helm, Kustomize, kubectl output): the field to set, e.g.
   * `securityContext.capabilities.drop: ["ALL"]`; ends with a period. `remediation` stays the fix
   * for an object Bulwark's constructs made. Every catalog rule has one (tests/remediation.test.ts).
   */
  readonly manifestRemediation?: string;
  readonly references: readonly Reference[];
  /** A non-waivable rule cannot be relaxed by any Waiver. */
  readonly waivable: boolean;
  /**
   * The rule as an in-cluster guardrail: the CEL a ValidatingAdmissionPolicy evaluates on the API
   * server, beside the TypeScript `check` the engine runs at synth. Given the cluster's settings,
   * it returns what the policy matches and validates; policy/admission.ts compiles it (adding the
   * pod spec, clock and waiver variables) and ClusterGuardrails renders it. Absent: synth only.
   */
  readonly admission?: (settings: GuardrailSettings) => AdmissionForm;
}

/** What one cluster's guardrails are compiled with (ClusterGuardrails props, or a test's). */
export interface GuardrailSettings {
  /** Registries images in production namespaces may come from (rule images/trusted-registry). */
  readonly trustedRegistries: readonly string[];
  /** Dedicated node pools of the cluster: pool name -> namespaces allowed to tolerate its taint. */
  readonly pools: ReadonlyMap<string, readonly string[]>;
  /**
   * RoleBindings ("namespace/name") and ClusterRoleBindings ("name") the RBAC guardrails let
   * through: bindings a cluster installer creates (kubeadm's), which no stack emits.
   */
  readonly allowedBindings: readonly string[];
}

/** Which namespaces a guardrail's binding covers. */
export type GuardrailScope =
  /** Every namespace but the exempt system ones, and cluster-scoped objects. */
  | 'cluster'
  /** Every namespace, the system ones included, and cluster-scoped objects. */
  | 'everywhere'
  /** Namespaces labelled bulwark.dev/environment=production (ENVIRONMENT_LABEL). */
  | 'production'
  /** The namespace "default" only. */
  | 'default-namespace';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly AdmissionOperation[];
}

/** A named CEL expression (ValidatingAdmissionPolicy variables and matchConditions). */
export interface CelNamed {
  readonly name: string;
  readonly expression: string;
}

export interface AdmissionValidation {
  /** CEL that is true when the object is allowed. */
  readonly expression: string;
  /** CEL building the denial message; it names the rule id. */
  readonly messageExpression: string;
  /** Static fallback when messageExpression fails. */
  readonly message: string;
}

/**
 * A rule's admission form. Pod rules set `pods` and read `variables.podSpec`,
 * `variables.containers` (init, regular and ephemeral) and `variables.tolerations`; waivable rules
 * read `variables.waivedObject` and `variables.waivedContainers` (see policy/admission.ts).
 */
export interface AdmissionForm {
  readonly scope: GuardrailScope;
  /**
   * Match Pods and every workload controller that makes them (Deployments, StatefulSets,
   * DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs), CREATE and UPDATE.
   */
  readonly pods?: boolean;
  /** Further resources to match (and all of them when `pods` is unset). */
  readonly resourceRules?: readonly AdmissionResourceRule[];
  readonly excludeResourceRules?: readonly AdmissionResourceRule[];
  /** Requests the policy skips (all must be true to evaluate). */
  readonly matchConditions?: readonly CelNamed[];
  /** Variables after the shared ones. */
  readonly variables?: readonly CelNamed[];
  readonly validations: readonly AdmissionValidation[];
}

/** One violation a rule found in one object: the engine turns it into a Finding. */
export interface Violation {
  /** JSON path inside the object, e.g. 'spec.template.spec.containers[0].securityContext'. */
  readonly path: string;
  /** The container the violation belongs to, when it belongs to one. */
  readonly container?: string;
  /** Short reason, e.g. 'privileged'. */
  readonly reason: string;
  /** Specific detail with names, e.g. 'container "app" must not set securityContext.privileged=true'. */
  readonly detail: string;
}

export interface RuleContext {
  /** Kubernetes minor the objects are checked against, e.g. { major: 1, minor: 36 }. */
  readonly version: PolicyVersion;
  /** Every object under evaluation plus the context objects, for rules that relate objects. */
  readonly objects: readonly KubeObject[];
  /** Ids and metadata of every rule in the catalog, for the waiver rule. */
  readonly catalog: ReadonlyMap<string, RuleMeta>;
  /** The clock waivers expire against. */
  readonly now: Date;
  /** Every object of `kind` among `objects`, indexed once per evaluation. */
  ofKind(kind: string): readonly KubeObject[];
  /**
   * A value derived from `objects` (an index, a map of pools), built once per evaluation under
   * `key` and shared by every object and rule: cross-object rules stay linear.
   */
  memo<T>(key: string, build: (objects: readonly KubeObject[]) => T): T;
  /**
   * Registries `object`'s images may come from (host, or host/path prefix), as configured for
   * it; undefined when no list is configured. The trusted-registry rule then does not apply:
   * a production BulwarkChart refuses to exist without a list, and `bulwark check` says that it
   * skipped the rule.
   */
  trustedRegistriesOf(object: KubeObject): readonly string[] | undefined;
  /**
   * The object's current state when it is being changed: a context object with the same API
   * group, kind, namespace and name (e.g. the live Namespace beside its new labels). Rules that
   * compare old and new (namespaces/no-pod-security-downgrade) read it; undefined at synth.
   */
  previousOf(object: KubeObject): KubeObject | undefined;
}

export interface Rule extends RuleMeta {
  check(object: KubeObject, context: RuleContext): Violation[];
}

export interface PolicyVersion {
  readonly major: number;
  readonly minor: number;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface WaiverSpec {
  /** The rule id this waiver relaxes. */
  readonly rule: string;
  readonly reason: string;
  readonly owner?: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies and fails synth. */
  readonly expires?: string;
  /** Scope the waiver to one container; without it the waiver covers the whole object. */
  readonly container?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly object: ObjectRef;
  readonly path: string;
  readonly container?: string;
  readonly reason: string;
  readonly detail: string;
  readonly remediation: string;
  /** Set when a valid Waiver covers this finding. */
  readonly waiver?: WaiverSpec;
}

/** The annotation that carries an object's waivers in the synthesized output. */
export const WAIVERS_ANNOTATION = 'bulwark.dev/waivers';

export function formatVersion(v: PolicyVersion): string {
  return `${v.major}.${v.minor}`;
}

export function parsePolicyVersion(text: string): PolicyVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) {
    throw new Error(`"${text}" is not a Kubernetes version: use "MAJOR.MINOR", for example "1.36".`);
  }
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function compareVersions(a: PolicyVersion, b: PolicyVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function objectRef(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata?.name ?? '(unnamed)',
  };
}

export function describeObject(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** Code-point order, the same on every machine (localeCompare follows the host's ICU locale). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
