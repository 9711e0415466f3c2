/**
 * Deploying a BulwarkApp with Pulumi (the package's `bulwark/pulumi`): every object, checked once by
 * the App, becomes a typed @pulumi/kubernetes resource with its own URN, in dependsOn tiers.
 * `registerApp(app)` is the whole program for most stacks; stacks/pulumi-program.ts is this
 * repository's, over its reference clusters.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { apiIdentity, BulwarkApp } from '../constructs';
import { KubeObject } from '../policy';
import { evaluate, flattenLists, unwaived } from '../policy/engine';

/**
 * Deploy order, as explicit dependsOn tiers: definitions (CRDs) before anything of their kinds;
 * namespaces before what lives in them; the parameters admission policies read (the guardrails'
 * clock) before the bindings that need them, which deny every request they match while their
 * params are missing; guardrails, RBAC, service accounts, network policies and quotas before the
 * workloads they govern; workloads and everything else last.
 */
export const TIERS = ['definitions', 'namespaces', 'parameters', 'guardrails', 'workloads'] as const;
export type Tier = typeof TIERS[number];

const GUARDRAIL_KINDS = new Set([
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'ServiceAccount', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PriorityClass',
]);

/** Kind, namespace and name: how a binding's paramRef names its params object. */
const paramKey = (apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown) => JSON.stringify([apiVersion, kind, namespace ?? '', name]);

/**
 * The objects some ValidatingAdmissionPolicyBinding names in spec.paramRef (by name), of its
 * policy's paramKind: each must exist before the binding is enforced.
 */
export function admissionParameters(objects: readonly KubeObject[]): ReadonlySet<string> {
  const isAdmission = (o: KubeObject, kind: string) => o?.kind === kind && o.apiVersion === 'admissionregistration.k8s.io/v1';
  const paramKinds = new Map(objects.filter((o) => isAdmission(o, 'ValidatingAdmissionPolicy')).map((p) => [p.metadata?.name, p.spec?.paramKind]));
  const keys = new Set<string>();
  for (const b of objects.filter((o) => isAdmission(o, 'ValidatingAdmissionPolicyBinding'))) {
    const ref = b.spec?.paramRef;
    const kind = paramKinds.get(b.spec?.policyName);
    if (ref?.name && kind?.kind) keys.add(paramKey(kind.apiVersion, kind.kind, ref.namespace, ref.name));
  }
  return keys;
}

export function tierOf(o: KubeObject, parameters: ReadonlySet<string> = new Set()): Tier {
  if (o.kind === 'CustomResourceDefinition') return 'definitions';
  if (o.kind === 'Namespace') return 'namespaces';
  if (parameters.has(paramKey(o.apiVersion, o.kind, o.metadata?.namespace, o.metadata?.name))) return 'parameters';
  return GUARDRAIL_KINDS.has(o.kind) ? 'guardrails' : 'workloads';
}

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The @pulumi/kubernetes class of a kind (k8s.apps.v1.Deployment for apps/v1 Deployment);
 * undefined for kinds the SDK does not type (custom resources), which register as CustomResource.
 */
export function resourceClassFor(apiVersion: string, kind: string): ResourceClass | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = group === '' ? 'core' : group.split('.')[0];
  const ctor = (k8s as any)[module]?.[version]?.[kind];
  // The class must be exactly this apiVersion's: "rbac.evil.io/v1" must not become the real
  // rbac.authorization.k8s.io ClusterRoleBinding the engine never judged as one.
  const token = `kubernetes:${group === '' ? `core/${version}` : apiVersion}:${kind}`;
  return typeof ctor === 'function' && ctor.prototype instanceof pulumi.CustomResource && ctor.__pulumiType === token ? ctor : undefined;
}

/**
 * Bulwark registers whole objects only. The SDK's *Patch kinds (server-side apply patches onto
 * objects someone else owns) are no kind the API server serves and no rule judges: refused.
 */
function assertDeployable(chart: string, o: KubeObject): void {
  if (/Patch$/.test(o.kind) && (k8s as any)[o.apiVersion.includes('/') ? o.apiVersion.split('/')[0].split('.')[0] : 'core']) {
    throw new Error(`chart "${chart}": ${o.apiVersion} ${o.kind} ${o.metadata?.name ?? ''} is a Pulumi patch resource, which would change an object outside the checked App. Declare the whole object instead.`);
  }
}

export interface RegisteredObject {
  readonly object: KubeObject;
  readonly chart: string;
  readonly tier: Tier;
  readonly resource: pulumi.CustomResource;
  /** The resources this one waits for: the whole previous tier. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** One chart of the App as a Pulumi component: its objects are children, so the URNs show where they came from. */
export class BulwarkChartComponent extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('bulwark:index:Chart', name, {}, opts);
  }
}

/**
 * Registers every object of the App, each once and checked once (BulwarkApp.synthesizeCharts), as
 * a typed @pulumi/kubernetes resource in its chart's component, each tier depending on the one
 * before it. `extra` objects (secrets built from stack configuration) join their tier.
 */
export function registerApp(app: BulwarkApp, options: { provider?: k8s.Provider; extra?: ReadonlyArray<{ chart: string; object: KubeObject }> } = {}): RegisteredObject[] {
  const charts = app.synthesizeCharts();
  // Lists are registered as kubectl applies them: their items (flattenLists reads them as kubectl does).
  const checked = charts.flatMap((c) => flattenLists(c.objects.map((o) => o.json)).map((object) => ({ chart: c.chart.node.id, object })));
  const extra = (options.extra ?? []).flatMap((e) => flattenLists([e.object]).map((object) => ({ chart: e.chart, object })));
  // What is registered is the copy that was judged, not the object handed in (a getter or a
  // proxy could read one way to the check and another to Pulumi).
  const judgedExtra = checkExtras(app, checked.map((e) => e.object), extra);
  const entries = [...checked, ...judgedExtra];
  for (const e of entries) assertDeployable(e.chart, e.object);
  const components = new Map<string, BulwarkChartComponent>();
  const component = (chart: string) => {
    let c = components.get(chart);
    if (!c) components.set(chart, c = new BulwarkChartComponent(chart, options.provider ? { providers: [options.provider] } : undefined));
    return c;
  };
  const registered: RegisteredObject[] = [];
  let before: pulumi.Resource[] = [];
  const parameters = admissionParameters(entries.map((e) => e.object));
  for (const tier of TIERS) {
    const inTier = entries.filter((e) => tierOf(e.object, parameters) === tier);
    const created = inTier.map(({ chart, object }) => {
      const cls = resourceClassFor(object.apiVersion, object.kind);
      const name = resourceName(chart, object);
      const opts: pulumi.CustomResourceOptions = { parent: component(chart), dependsOn: before, ...(options.provider ? { provider: options.provider } : {}) };
      const resource = cls ? new cls(name, object, opts) : new k8s.apiextensions.CustomResource(name, object as any, opts);
      registered.push({ object, chart, tier, resource, dependsOn: before });
      return resource;
    });
    if (created.length > 0) before = created;
  }
  return registered;
}

/**
 * `extra` objects come from stack configuration, not from the App, so synth never checked them.
 * They get the same check here, with the App's objects as context; they may not take the API
 * identity of a checked object (the later apply would replace it unchecked); and they are plain
 * JSON, except that a Secret's data and stringData values may be known only at deploy time (a
 * Pulumi Output), where no rule looks. Anything else known only at deploy time could not be judged.
 */
function checkExtras(app: BulwarkApp, checked: readonly KubeObject[], extra: ReadonlyArray<{ chart: string; object: KubeObject }>): Array<{ chart: string; object: KubeObject }> {
  const problems: string[] = [];
  const taken = new Set(checked.map(apiIdentity));
  const copies = extra.map(({ chart, object }) => {
    const where = `registerApp extra object ${object?.kind} ${object?.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object?.metadata?.name} (chart "${chart}")`;
    const copy = judgeable(object, where, problems);
    if (taken.has(apiIdentity(copy.judged))) problems.push(`${where} has the API identity of an object already registered, which it would replace unchecked. Give it a name of its own.`);
    taken.add(apiIdentity(copy.judged));
    return { chart, ...copy };
  });
  const judged = copies.map((c) => c.judged);
  if (judged.length > 0) {
    const findings = unwaived(evaluate(judged, {
      kubernetesVersion: app.defaultKubernetesVersion,
      trustedRegistries: app.trustedRegistries ?? (app.environment === 'production' ? [] : undefined),
      context: checked,
    }));
    for (const f of findings) problems.push(`registerApp extra object ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}: ${f.path} ${f.detail} (rule ${f.ruleId}). ${f.remediation}`);
  }
  if (problems.length > 0) throw new Error(`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} with objects the Pulumi program adds outside the App:\n  ${problems.join('\n  ')}`);
  return copies.map((c) => ({ chart: c.chart, object: c.registered }));
}

/**
 * Two copies of the object, each value read once: `judged`, plain JSON for the engine, with each
 * deploy-time value of a Secret's data or stringData read as ""; and `registered`, the same with
 * those values kept, for Pulumi. A deploy-time value (a Pulumi Output, a promise) anywhere else,
 * or a value that is not JSON (a class instance), is a problem.
 */
function judgeable(object: KubeObject, where: string, problems: string[]): { judged: KubeObject; registered: KubeObject } {
  const deployTime = new Map<string, unknown>();
  const secretValue = (path: readonly string[]) => object?.apiVersion === 'v1' && object?.kind === 'Secret' && path.length === 2 && (path[0] === 'data' || path[0] === 'stringData');
  const visit = (v: unknown, path: string[]): unknown => {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') problems.push(`${where}: ${path.join('.')} is a ${typeof v}, not JSON.`);
      return v;
    }
    if (pulumi.Output.isInstance(v) || typeof (v as { then?: unknown }).then === 'function') {
      if (!secretValue(path)) problems.push(`${where}: ${path.join('.') || 'the object'} is known only at deploy time (a Pulumi Output or a promise), so no rule can judge it. Only a Secret's data and stringData values may be.`);
      deployTime.set(path.join('\u0000'), v);
      return '';
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, [...path, String(i)]));
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      problems.push(`${where}: ${path.join('.') || 'the object'} is a ${proto?.constructor?.name ?? 'class'} instance, not JSON.`);
      return {};
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, [...path, k])]));
  };
  const judged = visit(object, []) as KubeObject;
  // The registered copy: the judged one, deploy-time values put back where they were (only a
  // Secret's data and stringData can hold one once the check has passed).
  const registered = JSON.parse(JSON.stringify(judged)) as KubeObject;
  for (const [at, value] of deployTime) {
    const path = at.split('\u0000');
    let parent: any = registered;
    for (const k of path.slice(0, -1)) parent = parent[k];
    parent[path[path.length - 1]] = value;
  }
  return { judged, registered };
}

/** A name unique in the stack: chart, API group, kind, namespace and name. */
export function resourceName(chart: string, o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core';
  return [chart, group, o.kind, o.metadata?.namespace, o.metadata?.name].filter((x) => x).join(':').toLowerCase();
}

/**
 * The registry credentials Secret a stack's workloads name in imagePullSecrets, built from a
 * Pulumi secret: it exists only in the Pulumi deployment, marked secret, never in dist/.
 */
export function registryCredentials(namespace: string, name: string, dockerConfigJson: pulumi.Output<string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': pulumi.secret(dockerConfigJson) as unknown as string },
  };
}
