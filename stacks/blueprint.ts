import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  BulwarkApp, BulwarkAppProps, BulwarkChart, BulwarkChartProps, BulwarkError, ClusterGuardrails, ClusterGuardrailsProps, ContainerResources,
  ControlPlane, ControlPlaneProps, DedicatedNodePool, DedicatedNodePoolProps, Environment, IsolatedNamespace, IsolatedNamespaceProps,
  LeastPrivilegeRole, RoleSubject, SynthesizedChart,
} from '../constructs';
import { assertDnsLabel } from '../constructs/errors';
import { ACCEPTS_FROM_ANNOTATION, CONNECTS_TO_ANNOTATION, TEAM_LABEL } from '../policy/rules/network/cross-team-traffic';

export interface ClusterBlueprintProps {
  /** The cluster's name: its manifests go to dist/<name>/ and its control-plane files below them. */
  readonly name: string;
  /** The Kubernetes minor the cluster runs, e.g. "1.36"; an end-of-life minor is refused. */
  readonly kubernetesVersion: string;
  /** "production" forbids what "development" only records as a waiver (images by tag, Ingress without TLS). */
  readonly environment: Environment;
  /** Registries every image in the cluster may come from; teams may narrow, never widen. */
  readonly trustedRegistries: readonly string[];
  /** Requests and limits for containers that set none, inherited by every team. @default DEFAULT_RESOURCES */
  readonly defaultResources?: ContainerResources;
  /** Labels on every object of the cluster. @default - `bulwark.dev/cluster` is not added; none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The in-cluster guardrails (ValidatingAdmissionPolicies from the catalog). @default - enforced */
  readonly guardrails?: ClusterGuardrailsProps;
  /** Audit, admission, encryption, authentication and kubelet configuration. @default - no control-plane files */
  readonly controlPlane?: ControlPlaneProps;
  /**
   * Where synth writes the cluster's files. @default - `<CDK8S_OUTDIR>/<name>`: `dist/<name>`, or
   * the folder `cdk8s synth --output` names (it sets CDK8S_OUTDIR, as cdk8s's App reads it)
   */
  readonly outdir?: string;
}

/**
 * One typed object for a whole cluster: version, profile, trusted registries, default resources
 * and labels (inherited through the construct tree by every chart), the platform's cluster-scoped
 * part (PlatformStack: guardrails, control plane, dedicated pools) and one TeamStack per team.
 * It is a BulwarkApp: every object of every team is checked once, at synth, against the catalog.
 */
export class ClusterBlueprint extends BulwarkApp {
  public readonly name: string;
  public readonly platform: PlatformStack;
  private readonly teamStacks = new Map<string, TeamStack>();

  constructor(props: ClusterBlueprintProps) {
    assertDnsLabel('ClusterBlueprint', 'name', props.name);
    for (const [k, v] of [['kubernetesVersion', props.kubernetesVersion], ['environment', props.environment]] as const) {
      if (v === undefined) throw new BulwarkError(`ClusterBlueprint "${props.name}"`, k, v, undefined, 'is required', 'A blueprint states its cluster\'s minor and profile explicitly.');
    }
    if (!props.trustedRegistries || props.trustedRegistries.length === 0) {
      throw new BulwarkError(`ClusterBlueprint "${props.name}"`, 'trustedRegistries', props.trustedRegistries, 'images/trusted-registry', 'is empty', 'List the registries the cluster pulls from.');
    }
    const appProps: BulwarkAppProps = {
      outdir: props.outdir ?? path.join(process.env.CDK8S_OUTDIR || 'dist', props.name),
      kubernetesVersion: props.kubernetesVersion,
      environment: props.environment,
      trustedRegistries: props.trustedRegistries,
      defaultResources: props.defaultResources,
      labels: props.labels,
    };
    super(appProps);
    this.name = props.name;
    this.platform = new PlatformStack(this, 'platform', { guardrails: props.guardrails, controlPlane: props.controlPlane });
  }

  /** Adds a team: its namespaces, its people's read-only role, a GitOps deployer per namespace. */
  public addTeam(id: string, props: TeamStackProps): TeamStack {
    const team = new TeamStack(this, id, props);
    if (this.teamStacks.has(team.team)) throw new BulwarkError(`ClusterBlueprint "${this.name}"`, 'addTeam', team.team, undefined, 'is added twice', 'Give every team its own name.');
    this.teamStacks.set(team.team, team);
    return team;
  }

  public get teams(): readonly TeamStack[] {
    return [...this.teamStacks.values()];
  }

  /**
   * A team writes only into its own namespaces: a namespaced object of a TeamStack (or of a chart
   * inside it) must live in one of the team's namespaces, and a team declares nothing
   * cluster-scoped; every chart of the cluster belongs to the platform or to a team.
   */
  public override compositionProblems(charts: readonly SynthesizedChart[]): string[] {
    const out: string[] = [];
    // Not instanceof: cdk8s makes instanceof of any Chart subclass true for every chart.
    const ownerOf = (c: IConstruct): { team?: TeamStack } | undefined => {
      for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
        if ((s as any)[TEAM_SYMBOL]) return { team: s as TeamStack };
        if ((s as any)[PLATFORM_SYMBOL]) return {};
      }
      return undefined;
    };
    for (const c of charts) {
      const owner = ownerOf(c.chart);
      if (!owner) {
        out.push(`chart "${c.chart.node.path}" belongs to neither the platform nor a team of ClusterBlueprint "${this.name}": add it inside a TeamStack (its namespaces) or the PlatformStack.`);
        continue;
      }
      if (!owner.team) continue;
      const team = owner.team;
      const own = new Set(team.namespaces.map((n) => n.name));
      for (const o of c.objects) {
        const ns = o.json.metadata?.namespace;
        const where = `${o.json.kind} ${ns ? `${ns}/` : ''}${o.json.metadata?.name} (construct ${o.apiObject.node.path})`;
        if (ns === undefined && o.json.kind !== 'Namespace') out.push(`${where} is cluster-scoped or names no namespace, but team "${team.team}" may only write into its namespaces (${[...own].join(', ')}). Cluster-wide objects belong to the PlatformStack.`);
        else if (o.json.kind === 'Namespace' ? !own.has(o.json.metadata?.name ?? '') : !own.has(ns!)) out.push(`${where} is outside team "${team.team}"'s namespaces (${[...own].join(', ')}). A team writes only into its own namespaces.`);
      }
    }
    return out;
  }
}

const TEAM_SYMBOL = Symbol.for('bulwark.TeamStack');
const PLATFORM_SYMBOL = Symbol.for('bulwark.PlatformStack');

export interface PlatformStackProps extends BulwarkChartProps {
  readonly guardrails?: ClusterGuardrailsProps;
  readonly controlPlane?: ControlPlaneProps;
}

/** The cluster-scoped part of a blueprint: guardrails, control plane files, dedicated node pools. */
export class PlatformStack extends BulwarkChart {
  public readonly guardrails: ClusterGuardrails;
  public readonly controlPlane?: ControlPlane;

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id, props);
    Object.defineProperty(this, PLATFORM_SYMBOL, { value: true });
    this.guardrails = new ClusterGuardrails(this, 'guardrails', props.guardrails);
    if (props.controlPlane) this.controlPlane = new ControlPlane(this, 'control-plane', props.controlPlane);
  }

  /** A pool of nodes that run only the given namespaces' workloads (a team's sensitive services). */
  public addDedicatedPool(id: string, props: DedicatedNodePoolProps): DedicatedNodePool {
    return new DedicatedNodePool(this, id, props);
  }
}

export interface TeamStackProps extends BulwarkChartProps {
  /** @default - the construct id */
  readonly team?: string;
  /** The team's namespaces, each an IsolatedNamespace; at least one. */
  readonly namespaces: readonly string[];
  /** Options for every namespace of the team (quota, DNS). @default - IsolatedNamespace's */
  readonly namespaceOptions?: Omit<IsolatedNamespaceProps, 'name'>;
  /** The identity provider's group of the team's people: read-only in the team's namespaces. */
  readonly group: string;
  /** Teams whose workloads may connect to this team's (both sides must declare it). @default - none */
  readonly acceptsFrom?: readonly string[];
  /** Teams this team's workloads may connect to (both sides must declare it). @default - none */
  readonly connectsTo?: readonly string[];
  /**
   * A ServiceAccount per namespace that a GitOps controller uses to apply the team's workloads:
   * write on workloads, Services, ConfigMaps, claims, autoscalers, budgets and routes of that
   * namespace only; never Secrets, RBAC or NetworkPolicies (those come from the blueprint).
   * @default true
   */
  readonly gitOps?: boolean;
}

/** Read-only access for a team's people: what runs and why it fails; no Secrets, no exec, no changes. */
const READ_GRANTS = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims', 'serviceaccounts'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['get', 'list', 'watch'] },
];

/** What a GitOps controller applies for a team, in the team's own namespace. */
const DEPLOY_GRANTS = [
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['services', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

/**
 * One team's part of the cluster: its IsolatedNamespaces (labelled with the team, and annotated
 * with the teams it accepts from and connects to, which rule network/cross-team-traffic reads),
 * a read-only role for its people's group in each, and a GitOps deployer per namespace. A team
 * cannot reach another team's namespaces by RBAC (its roles live in its own namespaces only) or by
 * network (default-deny, and any cross-team policy needs both teams to declare it).
 */
export class TeamStack extends BulwarkChart {
  public readonly team: string;
  public readonly group: string;
  private readonly byName = new Map<string, IsolatedNamespace>();
  /** The GitOps deployer ServiceAccount of each namespace. */
  public readonly deployers: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: TeamStackProps) {
    super(scope, id, props);
    Object.defineProperty(this, TEAM_SYMBOL, { value: true });
    const who = `TeamStack "${id}"`;
    this.team = props.team ?? id;
    assertDnsLabel(who, 'team', this.team);
    if (!props.namespaces || props.namespaces.length === 0) throw new BulwarkError(who, 'namespaces', [], 'network/pod-has-network-policy', 'is empty', 'Give the team at least one namespace.');
    if (typeof props.group !== 'string' || props.group.trim() === '' || props.group.startsWith('system:')) {
      throw new BulwarkError(who, 'group', props.group, 'rbac/no-catch-all-subjects', 'is not a group of your identity provider', 'Name the team\'s group, e.g. "oidc:payments".');
    }
    this.group = props.group;
    for (const t of [...(props.acceptsFrom ?? []), ...(props.connectsTo ?? [])]) assertDnsLabel(who, 'acceptsFrom/connectsTo', t);
    const deployers = new Map<string, ApiObject>();
    for (const name of props.namespaces) {
      const ns = new IsolatedNamespace(this, name, { ...props.namespaceOptions, name });
      ns.resource.metadata.addLabel(TEAM_LABEL, this.team);
      if ((props.acceptsFrom ?? []).length > 0) ns.resource.metadata.addAnnotation(ACCEPTS_FROM_ANNOTATION, [...props.acceptsFrom!].sort().join(','));
      if ((props.connectsTo ?? []).length > 0) ns.resource.metadata.addAnnotation(CONNECTS_TO_ANNOTATION, [...props.connectsTo!].sort().join(','));
      this.byName.set(name, ns);

      const readers = new LeastPrivilegeRole(this, `${name}-readers`, { namespace: ns, name: `${this.team}-readers` });
      for (const g of READ_GRANTS) readers.allow(g);
      readers.bind('people', RoleSubject.group(this.group));

      if (props.gitOps ?? true) {
        const sa = new ApiObject(this, `${name}-gitops`, {
          apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gitops-deployer', namespace: name }, automountServiceAccountToken: false,
        });
        const deployer = new LeastPrivilegeRole(this, `${name}-deployer`, { namespace: ns, name: 'gitops-deployer' });
        for (const g of DEPLOY_GRANTS) deployer.allow(g);
        deployer.bind('gitops', RoleSubject.serviceAccount('gitops-deployer', name));
        deployers.set(name, sa);
      }
    }
    this.deployers = deployers;
  }

  /** One of the team's namespaces, by name. */
  public ns(name: string): IsolatedNamespace {
    const ns = this.byName.get(name);
    if (!ns) throw new BulwarkError(`TeamStack "${this.node.id}"`, 'ns', name, undefined, 'is not one of the team\'s namespaces', `Use one of: ${[...this.byName.keys()].join(', ')}.`);
    return ns;
  }

  public get namespaces(): readonly IsolatedNamespace[] {
    return [...this.byName.values()];
  }
}
