import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { evaluate, formatFindings, unwaived } from '../policy';
import { assertSupportedVersion, DEFAULT_KUBERNETES_VERSION } from '../policy/kubernetes-versions';
import { Finding, KubeObject, PolicyVersion } from '../policy/types';

export type Environment = 'production' | 'development';

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
   * rules are evaluated at it; an end-of-life minor is refused.
   * @default - "1.36", Bulwark's default target
   */
  readonly kubernetesVersion?: string;
  /**
   * Where the manifests run. In "development", SecureWorkload accepts images referenced by tag,
   * each through a Waiver that is written into the output; nothing else is relaxed.
   * @default "production" - every image must be pinned by digest (rule images/digest-pinned)
   */
  readonly environment?: Environment;
  /**
   * The clock for end-of-life and waiver expiry checks. Only tests should set it.
   * @default - the current time
   */
  readonly now?: Date;
}

const CHART_SYMBOL = Symbol.for('bulwark.BulwarkChart');

/**
 * A cdk8s Chart that knows its target Kubernetes version and runs the policy engine over its own
 * output during synth: any unwaived finding fails synth with every finding listed, grouped by
 * object, with the construct path and the fix. JSON patches are applied before the check.
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
  public readonly now: Date;
  /** Every connection declared in this chart, in declaration order. */
  public readonly declaredConnections: DeclaredConnection[] = [];

  constructor(scope: Construct, id: string, props: BulwarkChartProps = {}) {
    super(scope, id, props);
    Object.defineProperty(this, CHART_SYMBOL, { value: true });
    this.now = props.now ?? new Date();
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    try {
      this.version = assertSupportedVersion(this.kubernetesVersion, this.now);
    } catch (e) {
      throw new Error(`BulwarkChart "${id}": ${(e as Error).message} (rule namespaces/pod-security-labels)`);
    }
    this.environment = props.environment ?? 'production';
    if (this.environment !== 'production' && this.environment !== 'development') {
      throw new Error(`BulwarkChart "${id}": environment "${String(this.environment)}" is not "production" or "development". Use one of them.`);
    }
    this.node.addValidation({ validate: () => this.policyErrors() });
  }

  /** Every finding over this chart's objects, waived ones included, evaluated after JSON patches. */
  public findings(): Finding[] {
    return this.evaluateOwn(this.ownObjects());
  }

  private evaluateOwn(own: ReadonlyArray<{ json: KubeObject }>): Finding[] {
    const context = allApiObjects(this.node.root).filter((o) => !this.owns(o)).map((o) => o.toJson() as KubeObject);
    return evaluate(own.map((o) => o.json), { kubernetesVersion: this.kubernetesVersion, now: this.now, context });
  }

  private policyErrors(): string[] {
    // Render each object once: the same JSON is checked and mapped back to its construct path.
    const objects = this.ownObjects();
    const bad = unwaived(this.evaluateOwn(objects));
    if (bad.length === 0) return [];
    const text = formatFindings(bad, {
      constructPathOf: (f) => objects.find((o) => sameObject(o.json, f))?.path,
    });
    return [`${bad.length} unwaived policy ${bad.length === 1 ? 'finding' : 'findings'}:\n${text}`];
  }

  private ownObjects(): Array<{ json: KubeObject; path: string }> {
    return allApiObjects(this).filter((o) => this.owns(o)).map((o) => ({ json: o.toJson() as KubeObject, path: o.node.path }));
  }

  /** Every ApiObject whose nearest BulwarkChart is this one, plain cdk8s Charts in between included. */
  private owns(o: ApiObject): boolean {
    for (let s: IConstruct | undefined = o.node.scope; s; s = s.node.scope) {
      if ((s as any)[CHART_SYMBOL]) return s === this;
    }
    return false;
  }
}

function allApiObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

function sameObject(o: KubeObject, f: Finding): boolean {
  return o.kind === f.object.kind && (o.metadata?.name ?? '(unnamed)') === f.object.name && (o.metadata?.namespace ?? undefined) === f.object.namespace;
}
