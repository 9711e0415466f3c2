import { ApiObject, Cron, CronOptions, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { cidrCovers, metadataInside, parseCidr } from '../policy/cidr';
import { SENSITIVE_LABEL } from '../policy/rules/nodes/pools';
import { MIN_ID } from '../policy/rules/workloads/high-uid-gid';
import { BulwarkChart } from './bulwark-chart';
import { assertDnsLabel, BulwarkError } from './errors';
import { Image } from './image';
import { IsolatedNamespace } from './isolated-namespace';
import { Grant, LeastPrivilegeRole, RoleSubject } from './least-privilege-role';
import { INodePool, Placement } from './node-placement';
import { INetworkPeer, NAMESPACE_NAME_LABEL, NetworkPolicyPeer, PolicyRules } from './network-peer';
import { Port } from './port';
import { renderResources, resolveResources, SecureContainerProps } from './secure-container';
import { attachWaivers, Waiver } from './waiver';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob';

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
   * @default 2 - survives a node drain
   */
  readonly replicas?: number;
  /** At least one container. */
  readonly containers: readonly SecureContainerProps[];
  /** Run to completion before the containers start; hardened the same way. @default - none */
  readonly initContainers?: readonly SecureContainerProps[];
  /** @default 10001 - a non-root UID that matches no host account (rule workloads/high-uid-gid) */
  readonly user?: number;
  /** @default 10001 - also the fsGroup (rule workloads/high-uid-gid) */
  readonly group?: number;
  /**
   * A ClusterIP Service for the container ports (Deployment); a StatefulSet always gets a headless one.
   * @default true when a container declares ports
   */
  readonly expose?: boolean;
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

const TEMPLATE_PATH: Record<WorkloadKind, string> = {
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

/**
 * A Deployment, StatefulSet, Job or CronJob that passes Pod Security "restricted" by
 * construction, with its own token-less ServiceAccount, resources, probes, a read-only root
 * filesystem, and a NetworkPolicy that admits exactly the declared connections.
 */
export class SecureWorkload extends Construct implements INetworkPeer {
  public readonly name: string;
  public readonly namespace: IsolatedNamespace;
  public readonly kind: WorkloadKind;
  public readonly replicas: number;
  public readonly podLabels: Readonly<Record<string, string>>;
  public readonly peerDescription: string;
  public readonly peerEndpoint: { description: string; namespace: string; workload: { name: string; kind: string } };
  /** The cdk8s-plus workload. */
  public readonly workload: kplus.Deployment | kplus.StatefulSet | kplus.Job | kplus.CronJob;
  /** The workload's API object, after Bulwark's completion patches. */
  public readonly resource: ApiObject;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly networkPolicy: ApiObject;
  public readonly disruptionBudget?: ApiObject;
  public readonly service?: kplus.Service;
  private readonly rules = new PolicyRules();
  private readonly ports: Port[];
  private readonly who: string;
  private readonly tokenAudience: string;
  private readonly mainContainers: number;
  /** Whether the pod spec has a volumes list, and which main containers have volumeMounts (for JSON patches that append). */
  private readonly podHasVolumes: boolean;
  private readonly containerHasMounts: boolean[];
  private role?: LeastPrivilegeRole;
  private readonly chart: BulwarkChart;
  private hasAffinity = false;
  private pool?: INodePool;

  constructor(scope: Construct, id: string, props: SecureWorkloadProps) {
    super(scope, id);
    this.who = `SecureWorkload "${id}"`;
    const who = this.who;
    const chart = BulwarkChart.enclosing(this, who);
    if (!(props.namespace instanceof IsolatedNamespace)) {
      throw new BulwarkError(who, 'namespace', String(props.namespace), 'namespaces/no-default-namespace', 'is not an IsolatedNamespace',
        'Create an IsolatedNamespace and pass it as props.namespace.');
    }
    this.namespace = props.namespace;
    this.name = props.name ?? id;
    assertDnsLabel(who, 'name', this.name);
    this.kind = props.kind ?? 'Deployment';
    if (!(this.kind in TEMPLATE_PATH)) {
      throw new BulwarkError(who, 'kind', this.kind, undefined, 'is not a supported workload kind', 'Use "Deployment", "StatefulSet", "Job" or "CronJob".');
    }
    const longRunning = this.kind === 'Deployment' || this.kind === 'StatefulSet';
    this.replicas = props.replicas ?? (longRunning ? 2 : 1);
    if (!Number.isInteger(this.replicas) || this.replicas < 0) {
      throw new BulwarkError(who, 'replicas', props.replicas, 'workloads/disruption-budget', 'is not a whole number of pods', 'Use 2 or more for a service.');
    }
    if (!longRunning && props.replicas !== undefined) {
      throw new BulwarkError(who, 'replicas', props.replicas, 'workloads/disruption-budget', `does not apply to a ${this.kind}`, 'Remove replicas.');
    }
    if ((this.kind === 'CronJob') !== (props.schedule !== undefined)) {
      throw new BulwarkError(who, 'schedule', props.schedule, undefined, this.kind === 'CronJob' ? 'is required for a CronJob' : `does not apply to a ${this.kind}`,
        this.kind === 'CronJob' ? 'Give a cron expression such as "0 3 * * *".' : 'Remove schedule or use kind "CronJob".');
    }
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
    const names = [...initContainers, ...containers].map((c) => c.name);
    for (const n of names) assertDnsLabel(who, 'containers[].name', n);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new BulwarkError(who, 'containers[].name', dup, undefined, 'is used twice', 'Give every container, init containers included, its own name.');

    this.tokenAudience = props.tokenAudience ?? 'https://kubernetes.default.svc.cluster.local';
    this.mainContainers = containers.length;
    const mounts = (c: SecureContainerProps) => (c.writablePaths ?? [{ path: '/tmp' }]).length + (c.secretFiles ?? []).length > 0;
    this.podHasVolumes = [...initContainers, ...containers].some(mounts);
    this.containerHasMounts = containers.map(mounts);
    this.podLabels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': `${this.namespace.name}.${this.name}` };
    this.peerDescription = who;
    this.peerEndpoint = { description: who, namespace: this.namespace.name, workload: { name: this.name, kind: this.kind } };
    this.chart = chart;
    this.ports = uniquePorts(containers.flatMap((c) => c.ports ?? []));
    const ns = this.namespace.name;

    // Rules workloads/dedicated-service-account and workloads/service-account-token.
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: ns },
      automountToken: false,
    });

    const volumes = new Map<string, { secretName: string; volume: kplus.Volume }>();
    const kplusContainers = [...initContainers, ...containers].map((c) => this.containerProps(c));
    const base = {
      metadata: { name: this.name, namespace: ns },
      select: false,
      podMetadata: { labels: { ...this.podLabels, ...(props.sensitive ? { [SENSITIVE_LABEL]: 'true' } : {}) } },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: {
        // Rules pod-security/run-as-non-root, pod-security/run-as-user, workloads/high-uid-gid.
        ensureNonRoot: true,
        user,
        group,
        fsGroup: group,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      containers: kplusContainers.slice(initContainers.length),
      initContainers: kplusContainers.slice(0, initContainers.length),
    };
    this.workload = this.createWorkload(base, props);
    this.resource = ApiObject.of(this.workload);
    if (this.kind !== 'Job' && this.kind !== 'CronJob') {
      this.workload.select(kplus.LabelSelector.of({ labels: { ...this.podLabels } }));
    }

    // Writable paths and secret files are volumes; mount them container by container.
    const all = [...this.workload.initContainers, ...this.workload.containers];
    [...initContainers, ...containers].forEach((c, i) => this.mountVolumes(c, i, all[i], volumes));

    this.complete([...initContainers, ...containers], initContainers.length);

    // Waivers: object-wide, then per container; development images get a recorded waiver.
    attachWaivers(this.resource, props.waivers ?? []);
    for (const c of [...initContainers, ...containers]) {
      attachWaivers(this.resource, c.waivers ?? [], c.name);
      const image = imageOf(c);
      if (!image.isPinned) this.handleUnpinned(c, image, props, chart);
    }

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

    if (longRunning && this.replicas >= 2) {
      this.disruptionBudget = new ApiObject(this, 'DisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: this.name, namespace: ns },
        spec: { maxUnavailable: 1, selector: { matchLabels: { ...this.podLabels } } },
      });
    }
    if (this.kind === 'Deployment' && (props.expose ?? this.ports.length > 0) && this.ports.length > 0) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: { name: this.name, namespace: ns },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: this.servicePorts(),
      });
      for (const [k, v] of Object.entries(this.podLabels)) this.service.selectLabel(k, v);
    }
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
    const podPath = TEMPLATE_PATH[this.kind];
    const nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [placement.nodeSelectorTerm] } };
    this.resource.addJsonPatch(
      JsonPatch.add(`${podPath}/tolerations`, placement.tolerations.map((t) => ({ ...t }))),
      this.hasAffinity ? JsonPatch.add(`${podPath}/affinity/nodeAffinity`, nodeAffinity) : JsonPatch.add(`${podPath}/affinity`, { nodeAffinity }),
    );
    this.hasAffinity = true;
    return placement;
  }

  /** The workload's Role, once it holds grants. */
  public get grants(): LeastPrivilegeRole | undefined {
    return this.role;
  }

  private ensureRole(): LeastPrivilegeRole {
    if (this.role) return this.role;
    this.role = new LeastPrivilegeRole(this, 'Role', { namespace: this.namespace, name: this.name });
    this.role.bind('workload', RoleSubject.serviceAccount(this.name, this.namespace.name));
    const pod = TEMPLATE_PATH[this.kind];
    // Rule workloads/service-account-token: automount stays off; the token is projected instead,
    // expires within the hour and is only valid for the API server's audience.
    const tokenVolume = {
      name: 'api-token',
      projected: {
        defaultMode: 0o440,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: TOKEN_EXPIRATION_SECONDS, audience: this.tokenAudience } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          // cdk8s-plus-27's object mapper reads the TypeScript name "downwardApi" and writes "downwardAPI".
          { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    };
    this.resource.addJsonPatch(this.podHasVolumes ? JsonPatch.add(`${pod}/volumes/-`, tokenVolume) : JsonPatch.add(`${pod}/volumes`, [tokenVolume]));
    for (let i = 0; i < this.mainContainers; i++) {
      const mount = { name: 'api-token', mountPath: TOKEN_MOUNT_PATH, readOnly: true };
      const at = `${pod}/containers/${i}/volumeMounts`;
      this.resource.addJsonPatch(this.containerHasMounts[i] ? JsonPatch.add(`${at}/-`, mount) : JsonPatch.add(at, [mount]));
    }
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

  /** The Service ports: every declared container port, to the same target port. */
  private servicePorts(): kplus.ServicePort[] {
    return this.ports.map((p) => ({ name: portName(p), port: p.port, targetPort: p.port, protocol: p.protocol as kplus.Protocol }));
  }

  private createWorkload(base: any, props: SecureWorkloadProps): SecureWorkload['workload'] {
    switch (this.kind) {
      case 'Deployment':
        return new kplus.Deployment(this, 'Resource', { ...base, replicas: this.replicas });
      case 'StatefulSet': {
        if (this.ports.length === 0) {
          throw new BulwarkError(this.who, 'containers[].ports', [], undefined, 'is empty, but a StatefulSet needs a headless Service port', 'Declare the port the pods serve on.');
        }
        const service = new kplus.Service(this, 'HeadlessService', {
          metadata: { name: this.name, namespace: this.namespace.name },
          clusterIP: 'None',
          ports: this.servicePorts(),
        });
        return new kplus.StatefulSet(this, 'Resource', { ...base, replicas: this.replicas, service });
      }
      case 'Job':
        return new kplus.Job(this, 'Resource', { ...base, backoffLimit: 3, ttlAfterFinished: undefined });
      case 'CronJob':
        return new kplus.CronJob(this, 'Resource', {
          ...base,
          schedule: Cron.schedule(parseCron(this.who, props.schedule!)),
          concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
        });
    }
  }

  private containerProps(c: SecureContainerProps): kplus.ContainerProps {
    return {
      name: c.name,
      image: imageOf(c).reference,
      command: c.command,
      args: c.args,
      ports: (c.ports ?? []).map((p) => ({ number: p.port, protocol: p.protocol as kplus.Protocol, name: portName(p) })),
      envVariables: {
        ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        ...Object.fromEntries(Object.entries(c.secretEnv ?? {}).map(([k, s]) => [k, kplus.EnvValue.fromSecretValue({
          secret: kplus.Secret.fromSecretName(this, `EnvSecret-${c.name}-${k}`, s.secretName), key: s.key,
        })])),
      },
      liveness: c.liveness,
      readiness: c.readiness,
      startup: c.startup,
      securityContext: {
        // Rules pod-security/allow-privilege-escalation, pod-security/privileged and
        // workloads/read-only-root-filesystem; capabilities are completed by a patch.
        ensureNonRoot: true,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      },
    };
  }

  private mountVolumes(c: SecureContainerProps, index: number, container: kplus.Container, volumes: Map<string, { secretName: string; volume: kplus.Volume }>): void {
    const writable = c.writablePaths ?? [{ path: '/tmp' }];
    writable.forEach((w, i) => {
      // Named by position: always a valid, unique DNS label, whatever the container is called.
      const name = `writable-${index}-${i}`;
      const vol = kplus.Volume.fromEmptyDir(this, `Writable-${name}`, name, { sizeLimit: w.sizeLimit ?? Size.mebibytes(64) });
      container.mount(w.path, vol);
    });
    for (const s of c.secretFiles ?? []) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s.secretName) || s.secretName.length > 253) {
        throw new BulwarkError(this.who, `container "${c.name}" secretFiles secretName`, s.secretName, 'workloads/secrets-as-files', 'is not a valid Secret name', 'Use lower-case letters, digits, "-" and ".".');
      }
      const name = `secret-${s.secretName.replace(/\./g, '-')}`;
      const known = volumes.get(name);
      if (name.length > 63 || (known && known.secretName !== s.secretName)) {
        throw new BulwarkError(this.who, `container "${c.name}" secretFiles secretName`, s.secretName, 'workloads/secrets-as-files',
          name.length > 63 ? 'makes a volume name longer than 63 characters' : `makes the same volume name as secret "${known!.secretName}"`, 'Use a shorter or more distinct Secret name.');
      }
      let vol = known?.volume;
      if (!vol) {
        vol = kplus.Volume.fromSecret(this, `SecretVolume-${s.secretName}`, kplus.Secret.fromSecretName(this, `Secret-${s.secretName}`, s.secretName), {
          name,
          defaultMode: 0o440,
        });
        volumes.set(name, { secretName: s.secretName, volume: vol });
      }
      container.mount(s.mountPath, vol, { readOnly: true });
    }
  }


  /** What cdk8s-plus-27 cannot express: seccomp, dropping ALL capabilities, exact resources, spreading. */
  private complete(containers: readonly SecureContainerProps[], initCount: number): void {
    const pod = TEMPLATE_PATH[this.kind];
    const patches: JsonPatch[] = [
      // Rule pod-security/seccomp-profile-restricted.
      JsonPatch.add(`${pod}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    ];
    containers.forEach((c, i) => {
      const path = i < initCount ? `${pod}/initContainers/${i}` : `${pod}/containers/${i - initCount}`;
      // Rule pod-security/capabilities-restricted: cdk8s-plus-27's Capability enum has no "ALL".
      patches.push(JsonPatch.add(`${path}/securityContext/capabilities`, { drop: ['ALL'] }));
      // Rule workloads/resources: cdk8s-plus-27 only takes whole GiB of ephemeral storage.
      patches.push(JsonPatch.add(`${path}/resources`, renderResources(resolveResources(`${this.who} container "${c.name}"`, c.resources))));
    });
    if ((this.kind === 'Deployment' || this.kind === 'StatefulSet') && this.replicas >= 2) {
      const selector = { matchLabels: { ...this.podLabels } };
      // Rule workloads/spread: prefer one replica per node, and spread across zones.
      this.hasAffinity = true;
      patches.push(JsonPatch.add(`${pod}/affinity`, {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' } }],
        },
      }));
      patches.push(JsonPatch.add(`${pod}/topologySpreadConstraints`, [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      ]));
    }
    this.resource.addJsonPatch(...patches);
  }

  private handleUnpinned(c: SecureContainerProps, image: Image, props: SecureWorkloadProps, chart: BulwarkChart): void {
    const waived = [...(props.waivers ?? []), ...(c.waivers ?? [])].some((w) => w.ruleId === 'images/digest-pinned');
    if (waived) return;
    if (chart.environment === 'development') {
      attachWaivers(this.resource, [Waiver.of('images/digest-pinned', {
        reason: 'development environment: images may be referenced by tag until promoted to production',
        owner: 'bulwark',
      })], c.name);
      return;
    }
    throw new BulwarkError(this.who, `container "${c.name}" image`, image.reference, 'images/digest-pinned', 'is not pinned by digest',
      `Use Image.pinned("${image.reference.split(/[:@]/)[0]}", "sha256:...") or add a Waiver.`);
  }
}

function imageOf(c: SecureContainerProps): Image {
  return typeof c.image === 'string' ? Image.fromReference(c.image) : c.image;
}

function portName(p: Port): string {
  return `${p.protocol.toLowerCase()}-${p.port}`;
}

function uniquePorts(ports: readonly Port[]): Port[] {
  const seen = new Map<string, Port>();
  for (const p of ports) seen.set(p.toString(), p);
  return [...seen.values()].sort((a, b) => a.port - b.port);
}

function parseCron(who: string, schedule: string): CronOptions {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new BulwarkError(who, 'schedule', schedule, undefined, 'is not a five-field cron expression', 'Use "minute hour day month weekday", e.g. "0 3 * * *".');
  }
  const [minute, hour, day, month, weekDay] = parts;
  return { minute, hour, day, month, weekDay };
}
