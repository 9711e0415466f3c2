import { ApiObject, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { CATALOG_BY_ID } from '../policy/catalog';
import { cidrCovers, metadataInside, parseCidr } from '../policy/cidr';
import { SENSITIVE_LABEL } from '../policy/rules/nodes/pools';
import { MIN_ID } from '../policy/rules/workloads/high-uid-gid';
import { isRuntimeAnnotation } from '../policy/rules/workloads/no-runtime-annotations';
import { KubeObject } from '../policy/types';
import { BulwarkChart } from './bulwark-chart';
import { refuseFindings } from './engine-check';
import { assertDnsLabel, BulwarkError } from './errors';
import { Gateway, IngressController } from './exposure';
import { Image } from './image';
import { IsolatedNamespace } from './isolated-namespace';
import { Grant, LeastPrivilegeRole, RoleSubject } from './least-privilege-role';
import { INetworkPeer, NAMESPACE_NAME_LABEL, NetworkPolicyPeer, PolicyRules } from './network-peer';
import { INodePool, Placement } from './node-placement';
import { ContainerModel, PodModel, PodVolume, renderPodTemplate } from './pod-template';
import { Port } from './port';
import { quantityValue, renderResources, resolveResources, SecureContainerProps } from './secure-container';
import { attachWaivers, Waiver } from './waiver';
import { API_VERSION, CronJobOptions, JobOptions, POD_TEMPLATE_PATH, renderKindSpec, WORKLOAD_KINDS, WorkloadKind } from './workload-kinds';

export type { WorkloadKind, JobOptions, CronJobOptions } from './workload-kinds';

/** A Service port in front of a container port: `{ port: 443, targetPort: Port.tcp(8443, 'https') }`. */
export interface ServicePortOptions {
  /** The port clients connect to. */
  readonly port: number;
  /** A port one of the containers declares. */
  readonly targetPort: Port;
}

/** Labels and annotations for the pods (meshes, metrics). Bulwark's own keys cannot be set. */
export interface PodMetadata {
  /** @default - none beyond Bulwark's selector labels */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface AutoscalingOptions {
  /** At 2 or more the workload keeps its PodDisruptionBudget and spreading. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilisation in percent of requests. @default 75 unless memoryUtilization is set */
  readonly cpuUtilization?: number;
  /** Target average memory utilisation in percent of requests. @default - not a target */
  readonly memoryUtilization?: number;
}

export interface SecureWorkloadProps {
  /** The namespace it runs in: always an IsolatedNamespace, never "default" or "kube-system". */
  readonly namespace: IsolatedNamespace;
  /** @default - the construct id */
  readonly name?: string;
  /** @default "Deployment" */
  readonly kind?: WorkloadKind;
  /** Cron schedule, for kind "CronJob" only, e.g. "0 3 * * *". */
  readonly schedule?: string;
  /**
   * Pod replicas (Deployment and StatefulSet). At 2 or more the workload gets a
   * PodDisruptionBudget and spreads across nodes and zones (rules workloads/disruption-budget, workloads/spread).
   * Leave it out with `autoscaling`: the HorizontalPodAutoscaler owns the count.
   * @default 2 - survives a node drain
   */
  readonly replicas?: number;
  /**
   * Scale with a HorizontalPodAutoscaler (autoscaling/v2) instead of a fixed count; the same as
   * calling autoscale(). @default - a fixed replica count
   */
  readonly autoscaling?: AutoscalingOptions;
  /** At least one container. */
  readonly containers: readonly SecureContainerProps[];
  /** Run to completion before the containers start; hardened the same way. @default - none */
  readonly initContainers?: readonly SecureContainerProps[];
  /** @default 10001 - a non-root UID that matches no host account (rule workloads/high-uid-gid) */
  readonly user?: number;
  /** @default 10001 - also the fsGroup, so the user can write to its volumes (rule workloads/high-uid-gid) */
  readonly group?: number;
  /**
   * A ClusterIP Service for the container ports (Deployment, DaemonSet); a StatefulSet always gets a headless one.
   * @default true when a container declares ports
   */
  readonly expose?: boolean;
  /** The Service's ports. @default - every container port, on the same number */
  readonly servicePorts?: readonly ServicePortOptions[];
  /** Labels and annotations for the pods. @default - Bulwark's selector labels only */
  readonly podMetadata?: PodMetadata;
  /** Secrets holding registry credentials. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** Job and CronJob runs: retries, deadline, clean-up. @default - see JobOptions */
  readonly job?: JobOptions;
  /** CronJob schedule options. @default - see CronJobOptions */
  readonly cronJob?: CronJobOptions;
  /** Waivers for the workload object (all containers). @default - none */
  readonly waivers?: readonly Waiver[];
  /**
   * Audience of the projected API token a workload with grants receives.
   * @default "https://kubernetes.default.svc.cluster.local" - the API server's default issuer audience
   */
  readonly tokenAudience?: string;
  /**
   * Marks the workload sensitive: synth fails unless it runs on a DedicatedNodePool
   * (rule nodes/sensitive-on-dedicated-pool).
   * @default false
   */
  readonly sensitive?: boolean;
  /** Run on this dedicated pool only (same as pool.place(workload)). @default - any general node */
  readonly nodePool?: INodePool;
}

/** Where Kubernetes clients look for the in-cluster token, CA and namespace. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Lifetime of the projected token; the kubelet rotates it at 80% of this. */
export const TOKEN_EXPIRATION_SECONDS = 3600;

/**
 * Label and annotation keys Bulwark (or the runtime) owns on a pod, each with the rule it serves:
 * a pod's own value would move its selectors, its sensitivity, its waivers or its security profiles.
 */
const RESERVED_KEYS: ReadonlyArray<{ readonly key: RegExp | ((key: string) => boolean); readonly rule: string; readonly owns: string }> = [
  { key: /^app\.kubernetes\.io\/(name|instance)$/i, rule: 'network/pod-has-network-policy', owns: 'the selectors of the workload, its Service and its NetworkPolicy' },
  { key: new RegExp(`^${SENSITIVE_LABEL.replace(/\./g, '\\.')}$`, 'i'), rule: 'nodes/sensitive-on-dedicated-pool', owns: 'sensitivity, which the sensitive prop sets' },
  { key: /^([a-z0-9-]+\.)*bulwark\.dev\/.*$/i, rule: 'waivers/valid-waiver', owns: 'Bulwark\'s waivers and markers, which the waivers prop sets' },
  { key: /^cdk8s\.io\/.*$/i, rule: 'network/pod-has-network-policy', owns: 'cdk8s\'s selectors' },
  { key: /^pod-security\.kubernetes\.io\/.*$/i, rule: 'namespaces/pod-security-labels', owns: 'Pod Security admission\'s labels' },
  { key: /^(container\.)?apparmor\.security\.(beta\.|alpha\.)?kubernetes\.io\/.*$/i, rule: 'pod-security/app-armor-profile', owns: 'the AppArmor profile' },
  { key: /^(container\.)?seccomp\.security\.(beta\.|alpha\.)?kubernetes\.io\/.*$/i, rule: 'pod-security/seccomp-profile-restricted', owns: 'the seccomp profile' },
  { key: isRuntimeAnnotation, rule: 'workloads/no-runtime-annotations', owns: 'the container runtime\'s settings' },
];

const LONG_RUNNING: readonly WorkloadKind[] = ['Deployment', 'StatefulSet'];
/** The catalog's image rules (digest, trusted registry, and any added later): refused at the image prop. */
const IMAGE_RULES: readonly string[] = [...CATALOG_BY_ID.keys()].filter((id) => id.startsWith('images/'));

/**
 * A Deployment, StatefulSet, DaemonSet, Job or CronJob that passes Pod Security "restricted" by
 * construction, with its own token-less ServiceAccount, resources, probes, a read-only root
 * filesystem, and a NetworkPolicy that admits exactly the declared connections. The pod template
 * is computed once, from typed props, by pod-template.ts; each kind only wraps it.
 */
export class SecureWorkload extends Construct implements INetworkPeer {
  public readonly name: string;
  public readonly namespace: IsolatedNamespace;
  public readonly kind: WorkloadKind;
  /** Fixed replicas; for an autoscaled workload, its minimum. 1 for Jobs, CronJobs and DaemonSets. */
  public get replicas(): number {
    return this.autoscaler?.minReplicas ?? this.fixedReplicas ?? 1;
  }
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly peerDescription: string;
  public readonly peerEndpoint: { description: string; namespace: string; workload: { name: string; kind: string } };
  /** The workload's API object. */
  public readonly resource: ApiObject;
  public readonly serviceAccount: ApiObject;
  public readonly networkPolicy: ApiObject;
  /** The Service in front of the pods (headless for a StatefulSet), when there is one. */
  public readonly service?: ApiObject;
  /** PersistentVolumeClaims of a Deployment's persistentPaths. */
  public readonly claims: readonly ApiObject[];
  private readonly rules = new PolicyRules();
  private readonly ports: Port[];
  private readonly servicePortList: ReadonlyArray<{ name: string; port: number; targetPort: Port }>;
  private readonly who: string;
  private readonly tokenAudience: string;
  private readonly model: PodModel;
  private readonly mainContainerNames: string[];
  /** The fixed count; undefined once an autoscaler owns it. */
  private fixedReplicas?: number;
  private readonly replicasExplicit: boolean;
  private autoscaler?: AutoscalingOptions;
  private hpa?: ApiObject;
  private pdb?: ApiObject;
  private role?: LeastPrivilegeRole;
  private readonly chart: BulwarkChart;
  private pool?: INodePool;
  private readonly exposures: ApiObject[] = [];

  constructor(scope: Construct, id: string, props: SecureWorkloadProps) {
    super(scope, id);
    this.who = `SecureWorkload "${id}"`;
    const who = this.who;
    const chart = BulwarkChart.enclosing(this, who);
    this.chart = chart;
    if (!(props.namespace instanceof IsolatedNamespace)) {
      throw new BulwarkError(who, 'namespace', String(props.namespace), 'namespaces/no-default-namespace', 'is not an IsolatedNamespace',
        'Create an IsolatedNamespace and pass it as props.namespace.');
    }
    this.namespace = props.namespace;
    this.name = props.name ?? id;
    assertDnsLabel(who, 'name', this.name);
    this.kind = props.kind ?? 'Deployment';
    if (!WORKLOAD_KINDS.includes(this.kind)) {
      throw new BulwarkError(who, 'kind', this.kind, undefined, 'is not a supported workload kind', `Use one of ${WORKLOAD_KINDS.map((k) => `"${k}"`).join(', ')}.`);
    }
    const longRunning = LONG_RUNNING.includes(this.kind);
    if (props.replicas !== undefined && !longRunning) {
      throw new BulwarkError(who, 'replicas', props.replicas, 'workloads/disruption-budget', `does not apply to a ${this.kind}`, 'Remove replicas.');
    }
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
      throw new BulwarkError(who, 'replicas', props.replicas, 'workloads/disruption-budget', 'is not a whole number of pods', 'Use 2 or more for a service.');
    }
    this.replicasExplicit = props.replicas !== undefined;
    this.fixedReplicas = longRunning && props.autoscaling === undefined ? (props.replicas ?? 2) : props.replicas;
    if ((this.kind === 'CronJob') !== (props.schedule !== undefined)) {
      throw new BulwarkError(who, 'schedule', props.schedule, undefined, this.kind === 'CronJob' ? 'is required for a CronJob' : `does not apply to a ${this.kind}`,
        this.kind === 'CronJob' ? 'Give a cron expression such as "0 3 * * *".' : 'Remove schedule or use kind "CronJob".');
    }
    if (props.schedule !== undefined && props.schedule.trim().split(/\s+/).length !== 5) {
      throw new BulwarkError(who, 'schedule', props.schedule, undefined, 'is not a five-field cron expression', 'Use "minute hour day month weekday", e.g. "0 3 * * *".');
    }
    if (props.cronJob !== undefined && this.kind !== 'CronJob') throw new BulwarkError(who, 'cronJob', props.cronJob, undefined, `does not apply to a ${this.kind}`, 'Remove cronJob or use kind "CronJob".');
    if (props.job !== undefined && this.kind !== 'Job' && this.kind !== 'CronJob') throw new BulwarkError(who, 'job', props.job, undefined, `does not apply to a ${this.kind}`, 'Remove job.');
    const user = props.user ?? 10001;
    const group = props.group ?? 10001;
    for (const [prop, value] of [['user', user], ['group', group]] as const) {
      if (!Number.isInteger(value) || value < MIN_ID) {
        const rule = prop === 'user' && value === 0 ? 'pod-security/run-as-user' : 'workloads/high-uid-gid';
        throw new BulwarkError(who, prop, value, rule, `is below ${MIN_ID}${value === 0 ? ' (root)' : ''}`, `Use a ${prop === 'user' ? 'UID' : 'GID'} of ${MIN_ID} or more, e.g. 10001.`);
      }
    }
    const containers = props.containers ?? [];
    const initContainers = props.initContainers ?? [];
    if (containers.length === 0) {
      throw new BulwarkError(who, 'containers', [], 'workloads/resources', 'is empty', 'Declare at least one container.');
    }
    const all = [...initContainers, ...containers];
    const names = all.map((c) => c.name);
    for (const n of names) assertDnsLabel(who, 'containers[].name', n);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new BulwarkError(who, 'containers[].name', dup, undefined, 'is used twice', 'Give every container, init containers included, its own name.');
    this.mainContainerNames = containers.map((c) => c.name);

    this.tokenAudience = props.tokenAudience ?? 'https://kubernetes.default.svc.cluster.local';
    this.podLabels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': `${this.namespace.name}.${this.name}` };
    this.peerDescription = who;
    this.peerEndpoint = { description: who, namespace: this.namespace.name, workload: { name: this.name, kind: this.kind } };
    this.ports = uniquePorts(who, containers.flatMap((c) => c.ports ?? []));
    this.servicePortList = this.resolveServicePorts(props.servicePorts);
    const ns = this.namespace.name;
    const extra = this.podMetadata(props.podMetadata);

    // Rules workloads/dedicated-service-account and workloads/service-account-token.
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.name, namespace: ns }, automountServiceAccountToken: false,
    });

    const volumes: PodVolume[] = [];
    const claimTemplates: Array<Record<string, unknown>> = [];
    const claims: ApiObject[] = [];
    all.forEach((c, index) => this.collectVolumes(c, index, volumes, claimTemplates, claims));
    this.claims = claims;
    this.model = {
      labels: { ...extra.labels, ...this.podLabels, ...(props.sensitive ? { [SENSITIVE_LABEL]: 'true' } : {}) },
      annotations: extra.annotations,
      serviceAccountName: this.name,
      user,
      group,
      restartPolicy: this.kind === 'Job' || this.kind === 'CronJob' ? 'Never' : 'Always',
      imagePullSecrets: (props.imagePullSecrets ?? []).map((s) => { assertDnsLabel(who, 'imagePullSecrets[]', s); return s; }),
      initContainers: initContainers.map((c) => this.containerModel(c)),
      containers: containers.map((c) => this.containerModel(c)),
      volumes,
      tolerations: [],
    };

    let serviceName: string | undefined;
    if (this.kind === 'StatefulSet') {
      if (this.ports.length === 0) {
        throw new BulwarkError(who, 'containers[].ports', [], undefined, 'is empty, but a StatefulSet needs a headless Service port', 'Declare the port the pods serve on.');
      }
      this.service = this.newService('HeadlessService', true);
      serviceName = this.name;
    } else if ((this.kind === 'Deployment' || this.kind === 'DaemonSet') && (props.expose ?? this.ports.length > 0) && this.ports.length > 0) {
      this.service = this.newService('Service', false);
    }

    const model = this.model;
    const renderSpec = () => {
      // Rule workloads/spread: replicated pods prefer distinct nodes and zones.
      model.spreadBy = LONG_RUNNING.includes(this.kind) && this.replicas >= 2 ? this.podLabels : undefined;
      return renderKindSpec(this.kind, {
        selector: this.podLabels,
        template: renderPodTemplate(model),
        replicas: this.fixedReplicas,
        serviceName,
        volumeClaimTemplates: claimTemplates,
        schedule: props.schedule?.trim().split(/\s+/).join(' '),
        job: props.job,
        cron: props.cronJob,
      });
    };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: API_VERSION[this.kind],
      kind: this.kind,
      metadata: { name: this.name, namespace: ns },
      spec: Lazy.any({ produce: renderSpec }),
    });

    // Waivers: object-wide, then per container; development images get a recorded waiver.
    attachWaivers(this.resource, props.waivers ?? []);
    for (const c of all) {
      attachWaivers(this.resource, c.waivers ?? [], c.name);
      if (chart.environment === 'development' && !imageOf(c).isPinned) {
        attachWaivers(this.resource, [Waiver.of('images/digest-pinned', {
          reason: 'development environment: images may be referenced by tag until promoted to production',
          owner: 'bulwark',
        })], c.name);
      }
    }
    // Images: the engine decides (digest, trusted registry), with the waivers the object carries.
    const imagePath = new RegExp(`^${POD_TEMPLATE_PATH[this.kind].replace(/\./g, '\\.')}\\.spec\\.(initContainers|containers)\\[(\\d+)\\]\\.image$`);
    // The object as it stands, rendered by the same function as its spec but without cdk8s's
    // token resolution (it holds no tokens yet, and resolving costs as much as the synth render).
    const candidate = { apiVersion: API_VERSION[this.kind], kind: this.kind, metadata: this.resource.metadata.toJson(), spec: renderSpec() };
    refuseFindings(who, chart, [candidate as KubeObject], {
      rules: IMAGE_RULES,
      propOf: (f) => {
        const m = imagePath.exec(f.path);
        if (!m) return undefined;
        const c = (m[1] === 'initContainers' ? initContainers : containers)[Number(m[2])];
        return { prop: `container "${c.name}" image`, value: imageOf(c).reference };
      },
    });

    if (props.nodePool) this.placeOn(props.nodePool);

    // The per-workload NetworkPolicy: exactly the declared peers (rule network/pod-has-network-policy).
    const rules = this.rules;
    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.name, namespace: ns },
      spec: Lazy.any({
        produce: () => ({
          podSelector: { matchLabels: { ...this.podLabels } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: rules.renderIngress(),
          egress: rules.renderEgress(),
        }),
      }),
    });

    if (longRunning && (this.fixedReplicas ?? 0) >= 2) this.pdb = this.newDisruptionBudget();
    if (props.autoscaling) this.autoscale(props.autoscaling);
  }

  /** The workload's PodDisruptionBudget, while it runs 2 or more replicas. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.pdb;
  }

  /** The HorizontalPodAutoscaler, once autoscale() was called. */
  public get autoscalerObject(): ApiObject | undefined {
    return this.hpa;
  }

  /**
   * Scales the workload with an autoscaling/v2 HorizontalPodAutoscaler: `replicas` is left out of
   * the workload (the autoscaler owns it; rule workloads/autoscaler-owns-replicas), and the
   * PodDisruptionBudget and spreading follow `minReplicas`. Returns the autoscaler.
   */
  public autoscale(options: AutoscalingOptions): ApiObject {
    const who = this.who;
    if (!LONG_RUNNING.includes(this.kind)) throw new BulwarkError(who, 'autoscale', this.kind, undefined, `does not apply to a ${this.kind}`, 'Autoscale a Deployment or StatefulSet.');
    if (this.hpa) throw new BulwarkError(who, 'autoscale', options, undefined, 'is called twice', 'Give one autoscaling configuration.');
    const { minReplicas, maxReplicas } = options;
    if (!Number.isInteger(minReplicas) || minReplicas < 1 || !Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
      throw new BulwarkError(who, 'autoscale', { minReplicas, maxReplicas }, 'workloads/disruption-budget', 'is not 1 <= minReplicas <= maxReplicas', 'Use whole numbers, e.g. { minReplicas: 2, maxReplicas: 10 }.');
    }
    for (const [k, v] of [['cpuUtilization', options.cpuUtilization], ['memoryUtilization', options.memoryUtilization]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) throw new BulwarkError(who, `autoscale ${k}`, v, undefined, 'is not a percentage from 1 to 100', 'Use e.g. 75.');
    }
    const metric = (name: string, utilization: number) => ({ resource: { name, target: { averageUtilization: utilization, type: 'Utilization' } }, type: 'Resource' });
    const metrics = [
      ...(options.cpuUtilization !== undefined || options.memoryUtilization === undefined ? [metric('cpu', options.cpuUtilization ?? 75)] : []),
      ...(options.memoryUtilization !== undefined ? [metric('memory', options.memoryUtilization)] : []),
    ];
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: this.name, namespace: this.namespace.name },
      spec: { maxReplicas, metrics, minReplicas, scaleTargetRef: { apiVersion: API_VERSION[this.kind], kind: this.kind, name: this.name } },
    };
    // The default count yields to the autoscaler; a count the user set is refused by the rule that
    // owns it, with the object's waivers.
    if (!this.replicasExplicit) this.fixedReplicas = undefined;
    refuseFindings(who, this.chart, [this.resource.toJson() as KubeObject], {
      rules: ['workloads/autoscaler-owns-replicas'],
      propOf: (f) => (f.path === 'spec.replicas' ? { prop: 'replicas', value: this.fixedReplicas } : undefined),
      context: [hpa],
    });
    this.autoscaler = options;
    this.hpa = new ApiObject(this, 'Autoscaler', hpa);
    if (minReplicas >= 2 && !this.pdb) this.pdb = this.newDisruptionBudget();
    if (minReplicas < 2 && this.pdb) {
      this.node.tryRemoveChild(this.pdb.node.id);
      this.pdb = undefined;
    }
    return this.hpa;
  }

  /** Admits `peer` on `port`, and opens the peer's egress when Bulwark manages it. Returns this workload's NetworkPolicy. */
  public allowFrom(peer: INetworkPeer, port: Port): ApiObject {
    this.addIngressRule(peer.toNetworkPolicyPeer(), port);
    peer.addEgressRule(this.toNetworkPolicyPeer(), port);
    this.chart.declaredConnections.push({ from: peer.peerEndpoint, to: this.peerEndpoint, protocol: port.protocol, port: port.port });
    return this.networkPolicy;
  }

  /** Lets this workload reach `peer` on `port`, and opens the peer's ingress when Bulwark manages it. */
  public allowTo(peer: INetworkPeer, port: Port): ApiObject {
    peer.addIngressRule(this.toNetworkPolicyPeer(), port);
    this.addEgressRule(peer.toNetworkPolicyPeer(), port);
    this.chart.declaredConnections.push({ from: this.peerEndpoint, to: peer.peerEndpoint, protocol: port.protocol, port: port.port });
    return this.networkPolicy;
  }

  /**
   * Lets this workload reach addresses outside the cluster. The cloud metadata endpoint is always
   * excepted when the range contains it (rule network/no-metadata-egress).
   */
  public allowEgress(cidr: string, port: Port): ApiObject {
    if (!parseCidr(cidr)) {
      throw new BulwarkError(this.who, 'allowEgress cidr', cidr, 'network/no-metadata-egress', 'is not an IPv4 or IPv6 CIDR', 'Use a range such as "203.0.113.0/24" or "0.0.0.0/0".');
    }
    const except = metadataInside(cidr);
    if (except.some((m) => cidrCovers(m, cidr))) {
      throw new BulwarkError(this.who, 'allowEgress cidr', cidr, 'network/no-metadata-egress', 'is the cloud metadata endpoint, which is never reachable', 'Remove this egress; the workload gets no cloud credentials from the node.');
    }
    this.addEgressRule({ ipBlock: { cidr, ...(except.length > 0 ? { except } : {}) } }, port);
    this.chart.declaredConnections.push({ from: this.peerEndpoint, to: { description: `ipBlock ${cidr}`, namespace: '', cidr }, protocol: port.protocol, port: port.port });
    return this.networkPolicy;
  }

  /**
   * Publishes the workload through the platform's ingress controller: an Ingress
   * (networking.k8s.io/v1) for `host`, TLS with `tlsSecretName` (required in production, rule
   * network/ingress-tls), and the NetworkPolicy opened to the controller's pods only.
   */
  public exposeViaIngress(options: { readonly host: string; readonly path?: string; readonly port?: Port; readonly controller: IngressController; readonly tlsSecretName?: string }): ApiObject {
    const svc = this.exposedPort('exposeViaIngress', options.port);
    assertHost(this.who, 'exposeViaIngress host', options.host);
    if (options.tlsSecretName !== undefined) assertDnsLabel(this.who, 'exposeViaIngress tlsSecretName', options.tlsSecretName);
    const ingress = new ApiObject(this, `Ingress-${this.exposures.length}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: this.exposures.length === 0 ? this.name : `${this.name}-${this.exposures.length}`, namespace: this.namespace.name },
      spec: {
        ingressClassName: options.controller.className,
        rules: [{ host: options.host, http: { paths: [{ backend: { service: { name: this.name, port: { number: svc.port } } }, path: options.path ?? '/', pathType: 'Prefix' }] } }],
        ...(options.tlsSecretName ? { tls: [{ hosts: [options.host], secretName: options.tlsSecretName }] } : {}),
      },
    });
    if (!options.tlsSecretName && this.chart.environment === 'development') {
      attachWaivers(ingress, [Waiver.of('network/ingress-tls', { reason: 'development environment: plain HTTP until a certificate is issued', owner: 'bulwark' })]);
    }
    // TLS is the engine's to decide (rule network/ingress-tls), with the waivers the Ingress carries.
    refuseFindings(this.who, this.chart, [ingress.toJson() as KubeObject], {
      rules: ['network/ingress-tls'],
      propOf: () => ({ prop: 'exposeViaIngress tlsSecretName', value: options.tlsSecretName }),
    });
    this.allowFrom(options.controller.peer, svc.targetPort);
    this.exposures.push(ingress);
    return ingress;
  }

  /**
   * Publishes the workload through a Gateway API gateway: an HTTPRoute attached to the gateway's
   * HTTPS listener only, and the NetworkPolicy opened to the gateway's pods only.
   */
  public exposeViaRoute(options: { readonly hostnames: readonly string[]; readonly path?: string; readonly port?: Port; readonly gateway: Gateway }): ApiObject {
    const svc = this.exposedPort('exposeViaRoute', options.port);
    if (options.hostnames.length === 0) throw new BulwarkError(this.who, 'exposeViaRoute hostnames', [], 'network/ingress-tls', 'is empty', 'Name the hosts the route serves.');
    for (const h of options.hostnames) assertHost(this.who, 'exposeViaRoute hostnames[]', h);
    const route = new ApiObject(this, `Route-${this.exposures.length}`, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: this.exposures.length === 0 ? this.name : `${this.name}-${this.exposures.length}`, namespace: this.namespace.name },
      spec: {
        hostnames: [...options.hostnames],
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: options.gateway.name, namespace: options.gateway.namespace, sectionName: options.gateway.httpsListener }],
        rules: [{ backendRefs: [{ name: this.name, port: svc.port }], matches: [{ path: { type: 'PathPrefix', value: options.path ?? '/' } }] }],
      },
    });
    this.allowFrom(options.gateway.peer, svc.targetPort);
    this.exposures.push(route);
    return route;
  }

  /**
   * Grants this workload's ServiceAccount one explicit permission (see LeastPrivilegeRole.allow).
   * The first grant creates the workload's Role and RoleBinding, and mounts a projected,
   * short-lived, audience-bound API token; a workload without grants gets no token at all.
   */
  public grant(grant: Grant): Grant {
    return this.ensureRole().allow(grant);
  }

  /** Grants get on one object by name, e.g. a ConfigMap this chart creates. */
  public grantRead(target: ApiObject | Construct): Grant {
    return this.ensureRole().grantRead(target);
  }

  /**
   * Runs the workload on a dedicated pool only: the pool's tolerations and a required node affinity
   * on its label. Throws when the pool does not allow this namespace. Prefer pool.place(workload).
   */
  public placeOn(pool: INodePool): Placement {
    if (this.pool) {
      throw new BulwarkError(this.who, 'nodePool', pool.poolName, 'nodes/dedicated-pool-toleration', `cannot be added: the workload already runs on pool "${this.pool.poolName}"`, 'Place a workload on one pool only.');
    }
    const placement = pool.placementFor(this.namespace.name, this.who);
    this.pool = pool;
    this.model.tolerations.push(...placement.tolerations.map((t) => ({ ...t })));
    this.model.nodeSelectorTerms = [placement.nodeSelectorTerm];
    return placement;
  }

  /** The workload's Role, once it holds grants. */
  public get grants(): LeastPrivilegeRole | undefined {
    return this.role;
  }

  public toNetworkPolicyPeer(): NetworkPolicyPeer {
    return {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.namespace.name } },
      podSelector: { matchLabels: { ...this.podLabels } },
    };
  }

  public addEgressRule(to: NetworkPolicyPeer, port: Port): boolean {
    this.rules.addEgress(to, port);
    return true;
  }

  public addIngressRule(from: NetworkPolicyPeer, port: Port): boolean {
    if (!this.ports.some((p) => p.toString() === port.toString())) {
      throw new BulwarkError(this.who, 'port', port.toString(), 'network/pod-has-network-policy', 'is not a port any of its containers declares',
        `Declare it in containers[].ports, or connect on one of: ${this.ports.map(String).join(', ') || '(none)'}.`);
    }
    this.rules.addIngress(from, port);
    return true;
  }

  private ensureRole(): LeastPrivilegeRole {
    if (this.role) return this.role;
    this.role = new LeastPrivilegeRole(this, 'Role', { namespace: this.namespace, name: this.name });
    this.role.bind('workload', RoleSubject.serviceAccount(this.name, this.namespace.name));
    // Rule workloads/service-account-token: automount stays off; the token is projected instead,
    // expires within the hour and is only valid for the API server's audience.
    this.model.volumes.push({
      name: 'api-token',
      source: {
        projected: {
          defaultMode: 0o440,
          sources: [
            { serviceAccountToken: { audience: this.tokenAudience, expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      },
      mounts: this.mainContainerNames.map((container) => ({ container, mountPath: TOKEN_MOUNT_PATH, readOnly: true })),
    });
    return this.role;
  }

  private exposedPort(method: string, port: Port | undefined): { port: number; targetPort: Port } {
    if (!this.service || this.kind === 'StatefulSet') {
      throw new BulwarkError(this.who, method, this.kind, 'network/pod-has-network-policy', 'needs a ClusterIP Service in front of the pods', 'Expose a Deployment or DaemonSet that declares container ports.');
    }
    const entry = port ? this.servicePortList.find((p) => p.targetPort.toString() === port.toString()) : this.servicePortList[0];
    if (!entry) throw new BulwarkError(this.who, `${method} port`, port?.toString(), 'network/pod-has-network-policy', 'is not a port of the Service', `Use one of: ${this.servicePortList.map((p) => p.targetPort.toString()).join(', ')}.`);
    return entry;
  }

  private newService(id: string, headless: boolean): ApiObject {
    return new ApiObject(this, id, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.name, namespace: this.namespace.name },
      spec: {
        ...(headless ? { clusterIP: 'None' } : {}),
        ports: this.servicePortList.map((p) => ({ name: p.name, port: p.port, protocol: p.targetPort.protocol, targetPort: p.targetPort.name })),
        // The same selector as the workload, its NetworkPolicy and its PodDisruptionBudget.
        selector: { ...this.podLabels },
        type: 'ClusterIP',
      },
    });
  }

  private newDisruptionBudget(): ApiObject {
    return new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: this.name, namespace: this.namespace.name },
      spec: { maxUnavailable: 1, selector: { matchLabels: { ...this.podLabels } } },
    });
  }

  private resolveServicePorts(given: readonly ServicePortOptions[] | undefined): Array<{ name: string; port: number; targetPort: Port }> {
    const list = given ?? this.ports.map((p) => ({ port: p.port, targetPort: p }));
    const out = list.map((s) => {
      if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new BulwarkError(this.who, 'servicePorts[].port', s.port, undefined, 'is not a port from 1 to 65535', 'Use e.g. 443.');
      const target = this.ports.find((p) => p.toString() === s.targetPort.toString());
      if (!target) throw new BulwarkError(this.who, 'servicePorts[].targetPort', s.targetPort.toString(), 'network/pod-has-network-policy', 'is not a port any of its containers declares', 'Declare it in containers[].ports first.');
      return { name: target.name, port: s.port, targetPort: target };
    });
    const dup = out.find((p, i) => out.findIndex((q) => q.port === p.port && q.targetPort.protocol === p.targetPort.protocol) !== i);
    if (dup) throw new BulwarkError(this.who, 'servicePorts[].port', dup.port, undefined, 'is used twice', 'Give each Service port its own number.');
    return out;
  }

  private podMetadata(meta: PodMetadata | undefined): { labels: Record<string, string>; annotations: Record<string, string> } {
    const check = (what: 'labels' | 'annotations', entries: Readonly<Record<string, string>>) => {
      for (const [k, v] of Object.entries(entries)) {
        const reserved = RESERVED_KEYS.find((r) => (typeof r.key === 'function' ? r.key(k) : r.key.test(k)));
        if (reserved) {
          throw new BulwarkError(this.who, `podMetadata.${what}`, k, reserved.rule, `is a key Bulwark owns (${reserved.owns})`, 'Use a key of your own; waivers go in the waivers prop, sensitivity in the sensitive prop.');
        }
        if (typeof v !== 'string') throw new BulwarkError(this.who, `podMetadata.${what}["${k}"]`, v, undefined, 'is not a string', 'Give a string value.');
        if (what === 'labels' && (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k) || !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v))) {
          throw new BulwarkError(this.who, 'podMetadata.labels', `${k}=${v}`, undefined, 'is not a valid label', 'Use a qualified name and a value of at most 63 characters.');
        }
      }
      return { ...entries };
    };
    return { labels: check('labels', meta?.labels ?? {}), annotations: check('annotations', meta?.annotations ?? {}) };
  }

  private containerModel(c: SecureContainerProps): ContainerModel {
    const label = `${this.who} container "${c.name}"`;
    const firstPort = (c.ports ?? [])[0]?.port;
    const env: Array<Record<string, unknown>> = [
      ...Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(c.configEnv ?? {}).map(([name, e]) => ({ name, valueFrom: { configMapKeyRef: { key: e.key, name: e.config.configMapName } } })),
      ...Object.entries(c.secretEnv ?? {}).map(([name, s]) => ({ name, valueFrom: { secretKeyRef: { key: s.key, name: s.secretName } } })),
    ];
    return {
      name: c.name,
      image: imageOf(c).reference,
      command: c.command,
      args: c.args,
      ports: (c.ports ?? []).map((p) => ({ containerPort: p.port, name: p.name, protocol: p.protocol })),
      env,
      resources: renderResources(resolveResources(label, c.resources, this.chart.defaultResources)),
      liveness: c.liveness?.render(label, firstPort),
      readiness: c.readiness?.render(label, firstPort),
      startup: c.startup?.render(label, firstPort),
    };
  }

  /** Writable paths, secret and config files, and persistent paths of one container, as volumes. */
  private collectVolumes(c: SecureContainerProps, index: number, volumes: PodVolume[], claimTemplates: Array<Record<string, unknown>>, claims: ApiObject[]): void {
    const add = (name: string, source: Record<string, unknown> | undefined, mountPath: string, readOnly: boolean, same?: (v: PodVolume) => boolean) => {
      const known = volumes.find((v) => v.name === name);
      if (known && !(same?.(known) ?? false)) {
        throw new BulwarkError(this.who, `container "${c.name}" volume`, name, undefined, 'is declared twice with different sources', 'Give each volume a distinct name.');
      }
      const mount = { container: c.name, mountPath, readOnly };
      if (known) (known.mounts as Array<typeof mount>).push(mount);
      else volumes.push({ name, source, mounts: [mount] });
    };
    (c.writablePaths ?? [{ path: '/tmp' }]).forEach((w, i) => {
      // Named by position: always a valid, unique DNS label, whatever the container is called.
      add(`writable-${index}-${i}`, { emptyDir: { sizeLimit: (w.sizeLimit ?? Size.mebibytes(64)).asString() } }, w.path, false);
    });
    for (const s of c.secretFiles ?? []) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s.secretName) || s.secretName.length > 253) {
        throw new BulwarkError(this.who, `container "${c.name}" secretFiles secretName`, s.secretName, 'workloads/secrets-as-files', 'is not a valid Secret name', 'Use lower-case letters, digits, "-" and ".".');
      }
      const name = `secret-${s.secretName.replace(/\./g, '-')}`;
      const known = volumes.find((v) => v.name === name);
      if (name.length > 63 || (known && (known.source as any)?.secret?.secretName !== s.secretName)) {
        throw new BulwarkError(this.who, `container "${c.name}" secretFiles secretName`, s.secretName, 'workloads/secrets-as-files',
          name.length > 63 ? 'makes a volume name longer than 63 characters' : `makes the same volume name as secret "${(known!.source as any).secret.secretName}"`, 'Use a shorter or more distinct Secret name.');
      }
      add(name, { secret: { defaultMode: 0o440, secretName: s.secretName } }, s.mountPath, true, () => true);
    }
    for (const f of c.configFiles ?? []) {
      const cm = f.config.configMapName;
      const name = `config-${cm}`.slice(0, 63).replace(/-+$/, '');
      add(name, { configMap: { defaultMode: 0o444, name: cm } }, f.mountPath, true, (v) => (v.source as any)?.configMap?.name === cm);
    }
    for (const p of c.persistentPaths ?? []) {
      assertDnsLabel(this.who, `container "${c.name}" persistentPaths[].name`, p.name);
      if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(String(p.size)) || quantityValue(p.size) <= 0) {
        throw new BulwarkError(this.who, `container "${c.name}" persistentPaths["${p.name}"].size`, p.size, undefined, 'is not a storage quantity', 'Use e.g. "10Gi".');
      }
      const spec = {
        accessModes: [p.accessMode ?? 'ReadWriteOnce'],
        resources: { requests: { storage: p.size } },
        ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
      };
      if (this.kind === 'StatefulSet') {
        if (!claimTemplates.some((t) => (t.metadata as any).name === p.name)) claimTemplates.push({ metadata: { name: p.name }, spec });
        add(p.name, undefined, p.path, false, (v) => v.source === undefined);
      } else if (this.kind === 'Deployment') {
        const claimName = `${this.name}-${p.name}`;
        if (!claims.some((o) => o.name === claimName)) {
          claims.push(new ApiObject(this, `Claim-${p.name}`, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claimName, namespace: this.namespace.name }, spec }));
        }
        add(p.name, { persistentVolumeClaim: { claimName } }, p.path, false, (v) => (v.source as any)?.persistentVolumeClaim?.claimName === claimName);
      } else {
        throw new BulwarkError(this.who, `container "${c.name}" persistentPaths`, p.name, undefined, `does not apply to a ${this.kind}`, 'Use a StatefulSet (one claim per replica) or a Deployment.');
      }
    }
  }
}

function imageOf(c: SecureContainerProps): Image {
  return typeof c.image === 'string' ? Image.fromReference(c.image) : c.image;
}

function uniquePorts(who: string, ports: readonly Port[]): Port[] {
  const seen = new Map<string, Port>();
  for (const p of ports) {
    const named = [...seen.values()].find((q) => q.name === p.name && q.toString() !== p.toString());
    if (named) throw new BulwarkError(who, 'containers[].ports', p.name, undefined, `names both ${named} and ${p}`, 'Give each port its own name.');
    seen.set(p.toString(), p);
  }
  return [...seen.values()].sort((a, b) => a.port - b.port);
}

function assertHost(who: string, prop: string, host: string): void {
  if (!/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(host) || host.length > 253) {
    throw new BulwarkError(who, prop, host, undefined, 'is not a DNS host name', 'Use a name such as "shop.example.com".');
  }
}
