import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkApp, Environment } from '../constructs';
import { KubeObject } from '../policy';
import { flattenLists } from '../policy/engine';
import { buildApp } from './app';
import { helloCluster } from './reference/hello';

/**
 * Deploy order, as explicit dependsOn tiers: definitions (CRDs) before anything of their kinds;
 * namespaces before what lives in them; guardrails, RBAC, service accounts, network policies and
 * quotas before the workloads they govern; workloads and everything else last.
 */
export const TIERS = ['definitions', 'namespaces', 'guardrails', 'workloads'] as const;
export type Tier = typeof TIERS[number];

const GUARDRAIL_KINDS = new Set([
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'ServiceAccount', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PriorityClass',
]);

export function tierOf(o: KubeObject): Tier {
  if (o.kind === 'CustomResourceDefinition') return 'definitions';
  if (o.kind === 'Namespace') return 'namespaces';
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

/** A deployable secret the program adds from stack configuration (never part of the cdk8s output). */
export interface ConfigSecret {
  readonly object: KubeObject;
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
  const entries = [
    ...charts.flatMap((c) => flattenLists(c.objects.map((o) => o.json)).map((object) => ({ chart: c.chart.node.id, object }))),
    ...(options.extra ?? []),
  ];
  for (const e of entries) assertDeployable(e.chart, e.object);
  const components = new Map<string, BulwarkChartComponent>();
  const component = (chart: string) => {
    let c = components.get(chart);
    if (!c) components.set(chart, c = new BulwarkChartComponent(chart, options.provider ? { providers: [options.provider] } : undefined));
    return c;
  };
  const registered: RegisteredObject[] = [];
  let before: pulumi.Resource[] = [];
  for (const tier of TIERS) {
    const inTier = entries.filter((e) => tierOf(e.object) === tier);
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

/**
 * The Pulumi program (stacks/pulumi.ts runs it; the tests run it under Pulumi's mocks). Stack
 * configuration (Pulumi.dev.yaml, Pulumi.prod.yaml):
 *   bulwark:cluster              which reference cluster: acme (default) or hello
 *   bulwark:profile              production (default) or development
 *   bulwark:renderDir            write manifests there instead of applying them
 *   bulwark:registryCredentials  (secret) .dockerconfigjson for the storefront's pull secret
 */
export function runProgram(): RegisteredObject[] {
  const config = new pulumi.Config('bulwark');
  const profile = config.get('profile') ?? 'production';
  if (profile !== 'production' && profile !== 'development') throw new Error(`bulwark:profile "${profile}" is not "production" or "development".`);
  const renderDir = config.get('renderDir');
  const provider = renderDir ? new k8s.Provider('render', { renderYamlToDirectory: renderDir }) : undefined;
  const credentials = config.getSecret('registryCredentials');
  const cluster = config.get('cluster') ?? 'acme';
  if (cluster === 'hello') return registerApp(helloCluster(), { provider });
  if (cluster !== 'acme') throw new Error(`bulwark:cluster "${cluster}" is not a reference cluster: use "acme" or "hello".`);
  return registerApp(buildApp({ environment: profile as Environment }), {
    provider,
    extra: credentials ? [{ chart: 'storefront', object: registryCredentials('storefront', 'storefront-registry', credentials) }] : [],
  });
}
