/**
 * Compiles the rule catalog's admission forms into ValidatingAdmissionPolicies and their bindings
 * (admissionregistration.k8s.io/v1): the in-cluster guardrails that refuse what Bulwark did not
 * emit (kubectl apply by hand, Helm, a compromised pipeline). Each guardrail rule carries its CEL
 * beside its TypeScript `check` (RuleMeta.admission); this module adds what every policy shares:
 *
 * - what pod rules match (Pods and every workload controller) and `variables.podSpec`,
 *   `variables.containers` (init, regular, ephemeral) and `variables.tolerations`;
 * - the waiver variables: the guardrails read the CEL-readable waiver annotations
 *   (waivers.ts, `waiver.bulwark.dev/<domain>.<name>`) and honour an entry only when the JSON
 *   annotation names the rule too and its expiry is not past;
 * - the clock. Kubernetes CEL has no clock of its own. On CREATE the API server has already set
 *   `metadata.creationTimestamp` to its own time when validating admission runs (a client cannot
 *   set it): that is the exact time of admission. On UPDATE there is no such field, so the date
 *   comes from a params object, the ConfigMap `bulwark-guardrail-clock` (data.today, YYYY-MM-DD,
 *   UTC), which the platform refreshes; a waiver is honoured on UPDATE until that date passes
 *   its expiry, so a stale clock keeps an expired waiver alive on UPDATE (never on CREATE) by as
 *   long as it is stale. A clock that is not a date counts as the end of time (every expiring
 *   waiver is expired); a missing clock denies every request the guardrail matches.
 */
import {
  AdmissionForm, AdmissionResourceRule, CelNamed, GuardrailScope, GuardrailSettings, KubeObject, RuleMeta, WAIVERS_ANNOTATION,
} from './types';
import { admissionWaiverKey } from './waivers';

/** Namespace label Bulwark sets (IsolatedNamespace): "production" or "development". */
export const ENVIRONMENT_LABEL = 'bulwark.dev/environment';
/**
 * Namespace label that lets the namespace's Services be NodePort or LoadBalancer and set
 * externalIPs (rules network/no-external-services and network/no-external-ips): "true".
 */
export const ALLOW_EXTERNAL_SERVICES_LABEL = 'bulwark.dev/allow-external-services';
/** The label the API server sets on every Namespace to its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Namespaces the pod and Service guardrails leave alone: the control plane's own add-ons run there. */
export const DEFAULT_EXEMPT_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
/** Annotation on every policy and binding naming the rule it enforces. */
export const GUARDRAIL_RULE_ANNOTATION = 'bulwark.dev/rule';
/** The params object holding the date for UPDATE requests. */
export const CLOCK_CONFIGMAP = 'bulwark-guardrail-clock';
export const CLOCK_KEY = 'today';

export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

export interface CompileOptions {
  /** [Deny, Audit] to enforce; [Warn, Audit] while rolling out. */
  readonly validationActions: readonly ValidationAction[];
  /** Namespaces 'cluster' and 'production' guardrails skip. @default DEFAULT_EXEMPT_NAMESPACES */
  readonly exemptNamespaces?: readonly string[];
  /** Namespace of the clock ConfigMap. */
  readonly clockNamespace: string;
}

/** Every resource that is a Pod or makes Pods, CREATE and UPDATE (ephemeral containers included). */
export const POD_CARRIERS: readonly AdmissionResourceRule[] = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers'], operations: ['CREATE', 'UPDATE'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], operations: ['CREATE', 'UPDATE'] },
  { apiGroups: ['batch'], apiVersions: ['v1'], resources: ['jobs', 'cronjobs'], operations: ['CREATE', 'UPDATE'] },
];

/** The pod spec of whatever POD_CARRIERS matched, its containers and its tolerations. */
export const POD_VARIABLES: readonly CelNamed[] = [
  {
    name: 'podSpec',
    expression: "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
  {
    name: 'containers',
    expression: "(has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + variables.podSpec.containers + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])",
  },
  { name: 'tolerations', expression: 'has(variables.podSpec.tolerations) ? variables.podSpec.tolerations : []' },
];

/** A CEL string literal. */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL list of string literals. */
export function celList(items: readonly string[]): string {
  return `[${items.map(celString).join(', ')}]`;
}

/** CEL: the container `c` (a variable of a comprehension) is covered by a waiver of the rule. */
export function waivedContainer(c: string): string {
  return `(variables.waivedObject || ${c}.name in variables.waivedScopes)`;
}

/** CEL: the string `x`, cut to `max` characters (messages stay short whatever the object holds). */
export function celShort(x: string, max = 120): string {
  return `(size(${x}) > ${max} ? ${x}.substring(0, ${max}) + '...' : ${x})`;
}

/** CEL: the annotation `key` of `o` (object or oldObject), or '' when absent. */
export function annotationOf(o: string, key: string): string {
  return `(has(${o}.metadata.annotations) && ${celString(key)} in ${o}.metadata.annotations ? ${o}.metadata.annotations[${celString(key)}] : '')`;
}

/** CEL: the label `key` of `o`, or '' when absent. */
export function labelOf(o: string, key: string): string {
  return `(has(${o}.metadata.labels) && ${celString(key)} in ${o}.metadata.labels ? ${o}.metadata.labels[${celString(key)}] : '')`;
}

/** A real calendar date, YYYY-MM-DD (February 29 is checked against the year separately). */
const DATE = '^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$';

/** CEL: the expiry `x` (a string expression) is `never`, or a real date not before today. */
function liveExpiry(x: string): string {
  const year = `int(${x}.substring(0, 4))`;
  const leap = `(${year} % 4 == 0 && (${year} % 100 != 0 || ${year} % 400 == 0))`;
  return `(${x} == 'never' || (${x}.matches(r'${DATE}') && (!${x}.endsWith('-02-29') || ${leap}) && int(${x}.replace('-', '')) >= variables.today))`;
}

/** The clock and waiver variables of a waivable rule. */
function waiverVariables(rule: RuleMeta): CelNamed[] {
  const key = admissionWaiverKey(rule.id);
  const entry = "e.substring(e.indexOf('=') + 1)";
  return [
    // The day of admission as YYYYMMDD: the API server's own creationTimestamp on CREATE, at
    // least the platform's clock (params) always; a clock that is not a date is the end of time.
    {
      name: 'clockDay',
      expression: `has(params.data) && ${celString(CLOCK_KEY)} in params.data && params.data[${celString(CLOCK_KEY)}].matches(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$') ? int(params.data[${celString(CLOCK_KEY)}].replace('-', '')) : 99999999`,
    },
    {
      name: 'createDay',
      expression: "request.operation == 'CREATE' && has(object.metadata.creationTimestamp) ? int(string(object.metadata.creationTimestamp).substring(0, 10).replace('-', '')) : 0",
    },
    { name: 'today', expression: 'variables.createDay > variables.clockDay ? variables.createDay : variables.clockDay' },
    // The rule's CEL-readable waivers, honoured only when the JSON annotation names the rule too.
    {
      name: 'waiverValue',
      expression: `${annotationOf('object', WAIVERS_ANNOTATION)}.matches(r'"rule"\\s*:\\s*"${rule.id}"') ? ${annotationOf('object', key)} : ''`,
    },
    // Containers covered by a live waiver ('' for the whole object).
    {
      name: 'waivedScopes',
      expression: `variables.waiverValue.split(' ').filter(e, e != '' && ${liveExpiry(entry)}).map(e, e.indexOf('=') < 0 ? '' : e.substring(0, e.indexOf('=')))`,
    },
    { name: 'waivedObject', expression: "'' in variables.waivedScopes" },
  ];
}

/** The policy and binding name of a rule's guardrail, e.g. bulwark-images-digest-pinned. */
export function guardrailName(ruleId: string): string {
  return `bulwark-${ruleId.replace('/', '-')}`;
}

function namespaceSelector(scope: GuardrailScope, exempt: readonly string[]): object {
  const notExempt = exempt.length > 0 ? [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...exempt] }] : [];
  switch (scope) {
    case 'everywhere': return {};
    case 'cluster': return notExempt.length > 0 ? { matchExpressions: notExempt } : {};
    case 'production': return { matchLabels: { [ENVIRONMENT_LABEL]: 'production' }, ...(notExempt.length > 0 ? { matchExpressions: notExempt } : {}) };
    case 'default-namespace': return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['default'] }] };
  }
}

export const copyRules = (rules: readonly AdmissionResourceRule[]) => rules.map((r) => ({
  apiGroups: [...r.apiGroups], apiVersions: [...r.apiVersions], operations: [...r.operations], resources: [...r.resources],
}));

/** The ValidatingAdmissionPolicy and its binding for one guardrail rule. */
export function compileGuardrail(rule: RuleMeta, settings: GuardrailSettings, options: CompileOptions): { policy: KubeObject; binding: KubeObject } {
  if (!rule.admission) throw new Error(`rule ${rule.id} has no admission form`);
  const form: AdmissionForm = rule.admission(settings);
  const name = guardrailName(rule.id);
  const resourceRules = [...(form.pods ? POD_CARRIERS : []), ...(form.resourceRules ?? [])];
  if (resourceRules.length === 0) throw new Error(`rule ${rule.id}: its admission form matches nothing`);
  const variables = [...(form.pods ? POD_VARIABLES : []), ...(rule.waivable ? waiverVariables(rule) : []), ...(form.variables ?? [])];
  const annotations = { [GUARDRAIL_RULE_ANNOTATION]: rule.id };
  const policy: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, annotations },
    spec: {
      failurePolicy: 'Fail',
      ...(rule.waivable ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
      matchConstraints: {
        matchPolicy: 'Equivalent',
        resourceRules: copyRules(resourceRules),
        ...(form.excludeResourceRules ? { excludeResourceRules: copyRules(form.excludeResourceRules) } : {}),
      },
      ...(form.matchConditions ? { matchConditions: form.matchConditions.map((c) => ({ ...c })) } : {}),
      variables: variables.map((v) => ({ ...v })),
      validations: form.validations.map((v) => ({
        expression: v.expression,
        messageExpression: `${v.messageExpression} + ${celString(` (rule ${rule.id})`)}`,
        message: `${v.message} (rule ${rule.id})`,
        reason: 'Forbidden',
      })),
    },
  };
  const binding: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, annotations: { ...annotations } },
    spec: {
      policyName: name,
      validationActions: [...options.validationActions],
      ...(rule.waivable ? { paramRef: { name: CLOCK_CONFIGMAP, namespace: options.clockNamespace, parameterNotFoundAction: 'Deny' } } : {}),
      matchResources: { namespaceSelector: namespaceSelector(form.scope, options.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES) },
    },
  };
  return { policy, binding };
}

/** The rules of the catalog that have an admission form, in catalog order. */
export function guardrailRules(catalog: Iterable<RuleMeta>): RuleMeta[] {
  return [...catalog].filter((r) => typeof r.admission === 'function');
}

/** Every guardrail's policy and binding, policies first. */
export function compileGuardrails(rules: readonly RuleMeta[], settings: GuardrailSettings, options: CompileOptions): KubeObject[] {
  const compiled = rules.map((r) => compileGuardrail(r, settings, options));
  return [...compiled.map((c) => c.policy), ...compiled.map((c) => c.binding)];
}

/** The date of `now` in UTC, YYYY-MM-DD: the clock's value. */
export function clockDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The clock ConfigMap the guardrails read on UPDATE, set to `now`'s date. */
export function clockConfigMap(namespace: string, now: Date): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CLOCK_CONFIGMAP, namespace }, data: { [CLOCK_KEY]: clockDate(now) } };
}
