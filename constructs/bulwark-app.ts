import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { evaluate, formatFindings, unwaived } from '../policy';
import { assertSupportedVersion, DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { Finding, KubeObject } from '../policy/types';
import { toYamlStream } from './manifest-yaml';
import { propagateWaivers } from './waiver';
import type { ContainerResources } from './secure-container';

export type Environment = 'production' | 'development';

/** What a BulwarkChart declares about the objects inside it; the App reads it at synth. */
export interface ChartSettings {
  readonly kubernetesVersion: string;
  /** undefined: the chart trusts whatever the App trusts. */
  readonly trustedRegistries?: readonly string[];
}

/** One chart's objects, each rendered once (JSON patches applied), in cdk8s's output order. */
export interface SynthesizedChart {
  readonly chart: Chart;
  readonly objects: ReadonlyArray<{ readonly apiObject: ApiObject; readonly json: KubeObject }>;
}

export interface BulwarkAppProps extends AppProps {
  /**
   * The Kubernetes minor of the cluster this App describes, e.g. "1.36". Every BulwarkChart in the
   * App must target the same minor; an end-of-life minor is refused.
   * @default - the minor the App's BulwarkCharts set (they must agree), else "1.36"
   */
  readonly kubernetesVersion?: string;
  /**
   * Where the manifests run; BulwarkCharts inherit it unless they set their own.
   * @default "production" - images pinned by digest and a trusted-registry list required
   */
  readonly environment?: Environment;
  /**
   * Registries every image in the App may come from (host, or host/path prefix). Objects outside
   * any BulwarkChart (plain Charts, Helm, Include) are held to this list; in production an App
   * without one trusts no registry for them, so such an object with a pod fails synth.
   * @default - none: each production BulwarkChart must set its own
   */
  readonly trustedRegistries?: readonly string[];
  /**
   * Requests and limits for containers that set none, inherited by every BulwarkChart.
   * @default - DEFAULT_RESOURCES (Guaranteed QoS: requests equal limits; rule workloads/resources)
   */
  readonly defaultResources?: ContainerResources;
  /** Labels every object of every BulwarkChart carries (cost centre, cluster). @default - none */
  readonly labels?: Readonly<Record<string, string>>;
}

const APP_SYMBOL = Symbol.for('bulwark.BulwarkApp');
/** Marks a BulwarkChart and holds its ChartSettings (a symbol, so bulwark-app.ts imports no chart). */
export const CHART_SETTINGS = Symbol.for('bulwark.ChartSettings');

/**
 * A cdk8s App that checks every object it holds against the rule catalog, once, with the whole
 * App as context: objects in BulwarkCharts, in plain cdk8s Charts, from Helm or Include alike.
 * Each object is rendered once; the rendered JSON is both what is checked and what is written.
 * Any unwaived finding, two objects with the same identity, or charts that disagree on the
 * Kubernetes minor fail synth, listing every problem with its construct path and fix.
 */
export class BulwarkApp extends App {
  public static isBulwarkApp(x: unknown): x is BulwarkApp {
    return typeof x === 'object' && x !== null && (x as any)[APP_SYMBOL] === true;
  }

  /** The BulwarkApp a construct lives in, or a clear error naming `who` and the fix. */
  public static enclosing(c: IConstruct, who: string): BulwarkApp {
    const root = c.node.root;
    if (BulwarkApp.isBulwarkApp(root)) return root;
    throw new Error(`${who} must be created in a BulwarkApp, which checks every object of the App at synth. Replace "new App(...)" (or Testing.app()) with "new BulwarkApp(...)".`);
  }

  public readonly environment: Environment;
  public readonly trustedRegistries?: readonly string[];
  public readonly defaultResources?: ContainerResources;
  public readonly labels: Readonly<Record<string, string>>;
  private readonly explicitVersion?: string;
  private synthesizing = false;

  constructor(props: BulwarkAppProps = {}) {
    super(props);
    Object.defineProperty(this, APP_SYMBOL, { value: true });
    this.environment = assertEnvironment('BulwarkApp', props.environment ?? 'production');
    if (props.kubernetesVersion !== undefined) {
      try {
        assertSupportedVersion(props.kubernetesVersion);
      } catch (e) {
        throw new Error(`BulwarkApp: ${(e as Error).message} (rule namespaces/pod-security-labels)`);
      }
      this.explicitVersion = props.kubernetesVersion;
    }
    this.trustedRegistries = props.trustedRegistries === undefined ? undefined : assertRegistries('BulwarkApp', props.trustedRegistries);
    this.defaultResources = props.defaultResources;
    this.labels = assertLabels('BulwarkApp', props.labels ?? {});
    // chart.toJson() and Testing.synth(chart) run the App's validations: this one checks the whole
    // App there too. synth() below renders and checks once itself, so it switches this one off.
    this.node.addValidation({ validate: () => (this.synthesizing ? [] : problems(this, this.render())) });
  }

  /**
   * Problems with how the App is composed, beyond the rule catalog (a blueprint refuses a team's
   * object outside the team's namespaces). Checked with everything else at synth. @default none
   */
  public compositionProblems(_charts: readonly SynthesizedChart[]): string[] {
    return [];
  }

  /** The minor a BulwarkChart targets when it does not set one. */
  public get defaultKubernetesVersion(): string {
    return this.explicitVersion ?? DEFAULT_KUBERNETES_VERSION;
  }

  /**
   * Every chart's objects, rendered once and checked once against the whole App: the single
   * entry point for every deploy path (synth writes these, the Pulumi program registers them).
   * Throws on any validation error or unwaived finding.
   */
  public synthesizeCharts(): SynthesizedChart[] {
    this.synthesizing = true;
    try {
      const all = this.node.findAll();
      resolveDependencies(all);
      const errors: string[] = [];
      for (const c of all) for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
      const charts = this.render();
      errors.push(...problems(this, charts));
      if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
      return charts;
    } finally {
      this.synthesizing = false;
    }
  }

  /**
   * Every finding, waived ones included, over the objects rendered in `scope` (a chart, and plain
   * charts inside it) or over the whole App; always evaluated with the whole App as context.
   */
  public findings(scope?: IConstruct): Finding[] {
    const charts = this.render();
    const findings = evaluateApp(this, charts).findings;
    if (!scope) return findings;
    const inScope = new Set(charts.flatMap((c) => c.objects).filter((o) => isWithin(o.apiObject, scope)).map((o) => apiIdentity(o.json)));
    return findings.filter((f) => inScope.has(identityOfRef(f)));
  }

  /**
   * Writes the manifests, in the files cdk8s's App.synth would write, after one rendering and one
   * check; the YAML is written by manifest-yaml.ts, which every YAML reader reads back exactly.
   */
  public override synth(): void {
    const charts = this.synthesizeCharts();
    fs.mkdirSync(this.outdir, { recursive: true });
    const indexed = charts.some((c) => c.chart.node.dependencies.length > 0);
    const chartName = (c: SynthesizedChart, i: number) => (indexed ? `${String(i).padStart(4, '0')}-` : '') + Names.toDnsLabel(c.chart);
    // Unlike cdk8s's Kind.name, the namespace is part of the name: two namespaces' default-deny
    // policies must not overwrite each other's file.
    const resourceFile = (o: KubeObject) => [o.kind, effectiveNamespace(o), o.metadata?.name].filter((x) => x).join('.').replace(/[^0-9a-zA-Z-_.]/g, '');
    const ext = this.outputFileExtension;
    // Two objects (or charts) written to one file would silently drop the first: refuse.
    const written = new Map<string, string>();
    const save = (file: string, objects: readonly KubeObject[], what: string) => {
      const key = path.resolve(file).toLowerCase();
      const before = written.get(key);
      if (before !== undefined) throw new Error(`BulwarkApp: ${what} and ${before} would both be written to ${file}, and the second would replace the first. Rename one of them.`);
      written.set(key, what);
      saveYaml(file, objects);
    };
    const one = (o: { apiObject: ApiObject; json: KubeObject }) => `"${o.apiObject.node.path}"`;
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        if (charts.length > 0) save(path.join(this.outdir, `app${ext}`), charts.flatMap((c) => c.objects.map((o) => o.json)), 'the App');
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const o of charts.flatMap((c) => c.objects)) save(path.join(this.outdir, resourceFile(o.json) + ext), [o.json], one(o));
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        charts.forEach((c, i) => {
          const dir = path.join(this.outdir, chartName(c, i));
          fs.mkdirSync(dir, { recursive: true });
          for (const o of c.objects) save(path.join(dir, resourceFile(o.json) + ext), [o.json], one(o));
        });
        break;
      default:
        charts.forEach((c, i) => save(path.join(this.outdir, chartName(c, i) + ext), c.objects.map((o) => o.json), `chart "${c.chart.node.path}"`));
    }
    if ((this as any).recordConstructMetadata) {
      const resources = Object.fromEntries(charts.flatMap((c) => c.objects.map((o) => [o.apiObject.name, { path: o.apiObject.node.path }])));
      fs.writeFileSync(path.join(this.outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
    }
  }

  public override synthYaml(): string {
    return toYamlStream(this.synthesizeCharts().flatMap((c) => c.objects.map((o) => o.json)));
  }

  /** Renders every ApiObject of every chart once, in the order cdk8s writes them. */
  private render(): SynthesizedChart[] {
    return this.charts.map((chart) => ({
      chart,
      objects: new DependencyGraph(chart.node).topology()
        .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
        // A workload's waivers go onto its pod template too: its Pods are judged on their own.
        // Frozen as plain data: a getter or a shared reference cannot read one way to the engine
        // and another to the writer.
        .map((apiObject) => ({ apiObject, json: plainData(propagateWaivers(apiObject.toJson())) as KubeObject })),
    }));
  }
}

function saveYaml(file: string, objects: readonly KubeObject[]): void {
  fs.writeFileSync(file, toYamlStream(objects));
}

/** Label keys Bulwark owns: selectors, Pod Security, pools, waivers. */
const RESERVED_LABEL = /^(app\.kubernetes\.io\/(name|instance)|bulwark\.dev\/.*|pod-security\.kubernetes\.io\/.*|node-restriction\.kubernetes\.io\/.*|kubernetes\.io\/.*|k8s\.io\/.*)$/;

/** Labels set for many objects at once: valid, and none of the keys Bulwark's rules rely on. */
export function assertLabels(who: string, labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [k, v] of Object.entries(labels)) {
    if (RESERVED_LABEL.test(k)) throw new Error(`${who}: labels key "${k}" is one Bulwark or Kubernetes owns (rule namespaces/pod-security-labels). Use a key of your own, e.g. "example.com/cost-centre".`);
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k) || typeof v !== 'string' || !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v)) {
      throw new Error(`${who}: labels entry ${JSON.stringify(k)}: ${JSON.stringify(v)} is not a valid label. Use a qualified name and a value of at most 63 characters.`);
    }
  }
  return { ...labels };
}

export function assertEnvironment(who: string, environment: unknown): Environment {
  if (environment !== 'production' && environment !== 'development') {
    throw new Error(`${who}: environment "${String(environment)}" is not "production" or "development". Use one of them.`);
  }
  return environment;
}

/** A registry entry: a host (with optional port), optionally followed by a path prefix. */
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

export function assertRegistries(who: string, registries: readonly string[]): readonly string[] {
  if (!Array.isArray(registries)) throw new Error(`${who}: trustedRegistries ${JSON.stringify(registries)} is not a list (rule images/trusted-registry). Give registry hosts, e.g. ["registry.example.com/team"].`);
  for (const r of registries) {
    if (typeof r !== 'string' || !REGISTRY.test(r)) {
      throw new Error(`${who}: trustedRegistries entry ${JSON.stringify(r)} is not a registry host or host/path (rule images/trusted-registry). Use e.g. "registry.example.com" or "registry.example.com/team", without scheme, wildcard or trailing "/".`);
    }
  }
  return [...registries];
}

function chartSettingsOf(c: IConstruct): ChartSettings | undefined {
  return (c as any)[CHART_SETTINGS] as ChartSettings | undefined;
}

/** The BulwarkChart nearest above a construct (itself included), if any. */
function nearestSettings(c: IConstruct): ChartSettings | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const settings = chartSettingsOf(s);
    if (settings) return settings;
  }
  return undefined;
}

function evaluateApp(app: BulwarkApp, charts: readonly SynthesizedChart[]): { findings: Finding[]; version: string; versionErrors: string[] } {
  // One cluster, one minor: every BulwarkChart must target the same one.
  const versionErrors: string[] = [];
  let version: { value: string; path: string } | undefined;
  for (const c of app.node.findAll()) {
    const s = chartSettingsOf(c);
    if (!s) continue;
    if (!version) version = { value: s.kubernetesVersion, path: c.node.path };
    else if (s.kubernetesVersion !== version.value) {
      versionErrors.push(`BulwarkChart "${c.node.path}" targets Kubernetes ${s.kubernetesVersion} but BulwarkChart "${version.path}" targets ${version.value}: one App is one cluster. Set kubernetesVersion once, on the BulwarkApp.`);
    }
  }
  const kubernetesVersion = version?.value ?? app.defaultKubernetesVersion;
  // Objects outside any BulwarkChart answer to the App's list; in production, no list trusts nothing.
  const appRegistries = app.trustedRegistries ?? (app.environment === 'production' ? [] : undefined);
  const registries = new Map<KubeObject, readonly string[] | undefined>();
  for (const c of charts) {
    const settings = nearestSettings(c.chart);
    for (const o of c.objects) registries.set(o.json, settings?.trustedRegistries ?? appRegistries);
  }
  const findings = evaluate(charts.flatMap((c) => c.objects.map((o) => o.json)), {
    kubernetesVersion,
    trustedRegistries: (o) => (registries.has(o) ? registries.get(o) : appRegistries),
  });
  return { findings, version: kubernetesVersion, versionErrors };
}

/** Every reason the App must not be synthesized: duplicates, version conflicts, unwaived findings. */
function problems(app: BulwarkApp, charts: readonly SynthesizedChart[]): string[] {
  const out: string[] = [];
  const paths = new Map<string, string>();
  for (const o of charts.flatMap((c) => c.objects)) {
    const key = apiIdentity(o.json);
    const first = paths.get(key);
    if (first === undefined) paths.set(key, o.apiObject.node.path);
    else out.push(`two objects are ${describeIdentity(o.json)}: "${first}" and "${o.apiObject.node.path}". The second would silently replace the first when applied; rename one or remove it.`);
  }
  const { findings, versionErrors } = evaluateApp(app, charts);
  out.push(...versionErrors);
  out.push(...app.compositionProblems(charts));
  const bad = unwaived(findings);
  if (bad.length > 0) {
    const text = formatFindings(bad, { constructPathOf: (f) => paths.get(identityOfRef(f)) });
    out.push(`${bad.length} unwaived policy ${bad.length === 1 ? 'finding' : 'findings'}:\n${text}`);
  }
  return out;
}

/** Cluster-scoped kinds; every other kind lands in "default" when it names no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ClusterTrustBundle', 'DeviceClass', 'GatewayClass', 'NodePool', 'EC2NodeClass',
]);

/** JSON data with nothing live in it: every getter read once, no object shared between two places. */
function plainData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** The namespace an object lands in: none for cluster-scoped kinds, "default" when it names none. */
function effectiveNamespace(o: KubeObject): string {
  return CLUSTER_SCOPED.has(o.kind) ? '' : (o.metadata?.namespace ?? 'default');
}

/** What the API server keys an object by: API group, kind, namespace (or "default") and name. */
export function apiIdentity(o: KubeObject): string {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return JSON.stringify([group, o.kind, effectiveNamespace(o), o.metadata?.name ?? '']);
}

function describeIdentity(o: KubeObject): string {
  const ns = effectiveNamespace(o);
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '(unnamed)'}`;
}

function identityOfRef(f: Finding): string {
  return apiIdentity({ apiVersion: f.object.apiVersion, kind: f.object.kind, metadata: { name: f.object.name, namespace: f.object.namespace } });
}

function isWithin(c: IConstruct, scope: IConstruct): boolean {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (s === scope) return true;
  return false;
}

/** cdk8s's dependency resolution before synth: nested charts and cross-chart construct dependencies. */
function resolveDependencies(all: readonly IConstruct[]): void {
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) if (child instanceof Chart) parent.node.addDependency(child);
  }
  const deps = all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
    const targets = target.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = source.node.findAll().filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
}
