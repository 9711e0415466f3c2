import { Chart, ChartProps } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { assertSupportedVersion } from '../policy/kubernetes-versions';
import { Finding, PolicyVersion } from '../policy/types';
import { assertEnvironment, assertLabels, assertRegistries, BulwarkApp, CHART_SETTINGS, ChartSettings, Environment } from './bulwark-app';
import type { ContainerResources } from './secure-container';
import { BulwarkError } from './errors';

export type { Environment } from './bulwark-app';

/** A connection a construct declared (allowFrom / allowTo): what the NetworkPolicies must allow, and all they may. */
export interface DeclaredConnection {
  /** Who connects: a workload, a namespace or an external peer. */
  readonly from: { readonly description: string; readonly namespace: string; readonly workload?: { readonly name: string; readonly kind: string }; readonly podLabels?: Record<string, string> };
  readonly to: DeclaredConnection['from'] & { readonly cidr?: string };
  readonly protocol: string;
  readonly port: number;
}

export interface BulwarkChartProps extends ChartProps {
  /**
   * The Kubernetes minor the cluster runs, e.g. "1.36". Pod Security labels are pinned to it and
   * rules are evaluated at it; an end-of-life minor is refused, and every chart of an App must agree.
   * @default - the BulwarkApp's minor ("1.36" unless the App sets one)
   */
  readonly kubernetesVersion?: string;
  /**
   * Where the manifests run. In "development", SecureWorkload accepts images referenced by tag,
   * each through a Waiver that is written into the output; nothing else is relaxed.
   * @default - the BulwarkApp's environment, "production" unless it says otherwise: every image
   * pinned by digest (rule images/digest-pinned) and from a trusted registry (images/trusted-registry)
   */
  readonly environment?: Environment;
  /**
   * Registries the images of this chart may come from: a host ("registry.example.com") or a
   * host and path prefix ("registry.example.com/payments"). Required in production.
   * @default - the BulwarkApp's trustedRegistries
   */
  readonly trustedRegistries?: readonly string[];
  /**
   * Requests and limits for containers that set none, merged over the App's key by key.
   * @default - the BulwarkApp's defaultResources, else DEFAULT_RESOURCES (rule workloads/resources)
   */
  readonly defaultResources?: ContainerResources;
}

const CHART_SYMBOL = Symbol.for('bulwark.BulwarkChart');

/**
 * A cdk8s Chart that knows its target Kubernetes version, environment and trusted registries.
 * It must live in a BulwarkApp, which checks every object of the App (this chart's and every
 * other chart's) at synth: any unwaived finding fails synth with every finding listed, grouped
 * by object, with the construct path and the fix. JSON patches are applied before the check.
 */
export class BulwarkChart extends Chart {
  /** Finds the BulwarkChart a construct lives in, or explains why it must live in one. */
  public static enclosing(c: IConstruct, who: string): BulwarkChart {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if ((s as any)[CHART_SYMBOL]) return s as BulwarkChart;
    }
    throw new Error(`${who} must be created inside a BulwarkChart: it carries the target Kubernetes version and runs the policy engine at synth. Replace "new Chart(...)" with "new BulwarkChart(...)".`);
  }

  public readonly kubernetesVersion: string;
  public readonly version: PolicyVersion;
  public readonly environment: Environment;
  /** Registries this chart's images may come from; undefined only in development without a list. */
  public readonly trustedRegistries?: readonly string[];
  /** Requests and limits for containers that set none: the chart's over the App's, key by key. */
  public readonly defaultResources: ContainerResources;
  /** Every connection declared in this chart, in declaration order. */
  public readonly declaredConnections: DeclaredConnection[] = [];
  private readonly app: BulwarkApp;

  constructor(scope: Construct, id: string, props: BulwarkChartProps = {}) {
    const who = `BulwarkChart "${id}"`;
    const app = BulwarkApp.enclosing(scope, who);
    // Labels set once on the App reach every object of every chart; the chart's own come on top.
    super(scope, id, { ...props, labels: { ...app.labels, ...assertLabels(who, props.labels ?? {}) } });
    Object.defineProperty(this, CHART_SYMBOL, { value: true });
    this.app = app;
    this.defaultResources = { ...app.defaultResources, ...props.defaultResources };
    this.kubernetesVersion = props.kubernetesVersion ?? this.app.defaultKubernetesVersion;
    try {
      this.version = assertSupportedVersion(this.kubernetesVersion);
    } catch (e) {
      throw new Error(`${who}: ${(e as Error).message} (rule namespaces/pod-security-labels)`);
    }
    this.environment = assertEnvironment(who, props.environment ?? this.app.environment);
    // A chart may be stricter than its App, never laxer: no development chart in a production
    // App, and no registry the App does not trust.
    if (this.environment === 'development' && this.app.environment === 'production') {
      throw new BulwarkError(who, 'environment', 'development', 'images/digest-pinned', 'is laxer than its BulwarkApp, which is "production"',
        'Remove environment from the chart, or make the whole App a development one (new BulwarkApp({ environment: "development" })).');
    }
    this.trustedRegistries = props.trustedRegistries === undefined ? this.app.trustedRegistries : assertRegistries(who, props.trustedRegistries);
    const untrusted = (props.trustedRegistries ?? []).filter((r) => this.app.trustedRegistries !== undefined && !this.app.trustedRegistries.some((a) => registryWithin(r, a)));
    if (untrusted.length > 0) {
      throw new BulwarkError(who, 'trustedRegistries', untrusted, 'images/trusted-registry', `widens the BulwarkApp's list (${this.app.trustedRegistries!.join(', ')})`,
        'List only registries, or paths inside registries, that the App trusts; widen the App\'s list if the whole cluster should trust more.');
    }
    if (this.environment === 'production' && (this.trustedRegistries === undefined || this.trustedRegistries.length === 0)) {
      throw new BulwarkError(who, 'trustedRegistries', this.trustedRegistries, 'images/trusted-registry', 'must list at least one registry in production',
        'Set trustedRegistries on the chart or on its BulwarkApp, e.g. ["registry.example.com/team"].');
    }
    const settings: ChartSettings = { kubernetesVersion: this.kubernetesVersion, trustedRegistries: this.trustedRegistries };
    Object.defineProperty(this, CHART_SETTINGS, { value: settings });
  }

  /**
   * Every finding over this chart's objects (plain charts inside it included), waived ones too,
   * evaluated after JSON patches with the whole App as context.
   */
  public findings(): Finding[] {
    return this.app.findings(this);
  }

  /**
   * This chart's objects as the App checked them: rendered once, with the whole App, and refused
   * on any unwaived finding (cdk8s's own Chart.toJson renders twice and returns the second).
   */
  public override toJson(): any[] {
    const own = this.app.synthesizeCharts().find((c) => c.chart === this);
    return (own?.objects ?? []).map((o) => o.json);
  }
}

/** True when registry entry `inner` is `outer` or a path below it ("r.io/team" within "r.io"). */
function registryWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}
