/**
 * The one place a workload's final pod template is computed: a plain model that SecureWorkload
 * fills from typed props (and from later calls such as grants and placement), rendered once,
 * lazily, at synth. Nothing here depends on where another library puts an element.
 */
import { byCodePoint } from '../policy/types';

/** A volume of the pod and where each container mounts it. */
export interface PodVolume {
  readonly name: string;
  /** The volume source, e.g. { emptyDir: { sizeLimit: '64Mi' } }; absent for a StatefulSet claim template. */
  readonly source?: Record<string, unknown>;
  /** Container name -> mount. */
  readonly mounts: ReadonlyArray<{ readonly container: string; readonly mountPath: string; readonly readOnly: boolean }>;
}

/** A container as Bulwark renders it: every security field decided, nothing left to a default. */
export interface ContainerModel {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports: ReadonlyArray<{ readonly containerPort: number; readonly name: string; readonly protocol: string }>;
  readonly env: ReadonlyArray<Record<string, unknown>>;
  readonly resources: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  readonly liveness?: Record<string, unknown>;
  readonly readiness?: Record<string, unknown>;
  readonly startup?: Record<string, unknown>;
}

export interface PodModel {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  readonly user: number;
  readonly group: number;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  readonly imagePullSecrets: readonly string[];
  readonly initContainers: readonly ContainerModel[];
  readonly containers: readonly ContainerModel[];
  /** In order of addition; later calls (a grant's token) append. */
  readonly volumes: PodVolume[];
  readonly tolerations: Array<Record<string, unknown>>;
  /** Required node affinity terms (a dedicated pool's label). */
  nodeSelectorTerms?: ReadonlyArray<Record<string, unknown>>;
  /** Labels to spread replicas by, across nodes and zones (rule workloads/spread); unset: no spreading. */
  spreadBy?: Readonly<Record<string, string>>;
}

/** The pod template's metadata and spec, rendered from the model. */
export function renderPodTemplate(m: PodModel): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const renderContainer = (c: ContainerModel) => {
    const mounts = m.volumes.flatMap((v) => v.mounts.filter((mt) => mt.container === c.name)
      .map((mt) => ({ mountPath: mt.mountPath, name: v.name, ...(mt.readOnly ? { readOnly: true } : {}) })));
    return {
      ...(c.args ? { args: [...c.args] } : {}),
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.env.length > 0 ? { env: c.env.map((e) => ({ ...e })) } : {}),
      image: c.image,
      // kube-score container-image-pull-policy; with a digest, Always costs one manifest request.
      imagePullPolicy: 'Always',
      ...(c.liveness ? { livenessProbe: c.liveness } : {}),
      name: c.name,
      ...(c.ports.length > 0 ? { ports: c.ports.map((p) => ({ ...p })) } : {}),
      ...(c.readiness ? { readinessProbe: c.readiness } : {}),
      resources: { limits: { ...c.resources.limits }, requests: { ...c.resources.requests } },
      securityContext: {
        // Rules pod-security/allow-privilege-escalation, pod-security/privileged,
        // pod-security/capabilities-restricted and workloads/read-only-root-filesystem.
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        // Rules pod-security/run-as-non-root and workloads/high-uid-gid, repeated on the container
        // because some scanners read only the container's securityContext.
        runAsGroup: m.group,
        runAsNonRoot: true,
        runAsUser: m.user,
      },
      ...(c.startup ? { startupProbe: c.startup } : {}),
      ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    };
  };
  const affinity: Record<string, unknown> = {};
  if (m.nodeSelectorTerms) affinity.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: m.nodeSelectorTerms.map((t) => ({ ...t })) } };
  if (m.spreadBy) {
    affinity.podAntiAffinity = {
      preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: { matchLabels: { ...m.spreadBy } }, topologyKey: 'kubernetes.io/hostname' }, weight: 100 }],
    };
  }
  const podVolumes = m.volumes.filter((v) => v.source !== undefined).map((v) => ({ name: v.name, ...v.source }));
  return {
    metadata: {
      ...(Object.keys(m.annotations).length > 0 ? { annotations: sorted(m.annotations) } : {}),
      labels: sorted(m.labels),
    },
    spec: {
      ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
      // Rule workloads/service-account-token: a token only through a projected volume, on grants.
      automountServiceAccountToken: false,
      containers: m.containers.map(renderContainer),
      dnsPolicy: 'ClusterFirst',
      // No environment variables listing every Service of the namespace.
      enableServiceLinks: false,
      hostIPC: false,
      hostNetwork: false,
      hostPID: false,
      ...(m.imagePullSecrets.length > 0 ? { imagePullSecrets: m.imagePullSecrets.map((name) => ({ name })) } : {}),
      ...(m.initContainers.length > 0 ? { initContainers: m.initContainers.map(renderContainer) } : {}),
      restartPolicy: m.restartPolicy,
      securityContext: {
        // fsGroup lets the non-root user write to its volumes; OnRootMismatch skips the recursive
        // chown on every start once ownership is right.
        fsGroup: m.group,
        fsGroupChangePolicy: 'OnRootMismatch',
        runAsGroup: m.group,
        runAsNonRoot: true,
        runAsUser: m.user,
        // Rule pod-security/seccomp-profile-restricted.
        seccompProfile: { type: 'RuntimeDefault' },
      },
      serviceAccountName: m.serviceAccountName,
      terminationGracePeriodSeconds: 30,
      ...(m.tolerations.length > 0 ? { tolerations: m.tolerations.map((t) => ({ ...t })) } : {}),
      ...(m.spreadBy ? {
        topologySpreadConstraints: [{ labelSelector: { matchLabels: { ...m.spreadBy } }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
      } : {}),
      ...(podVolumes.length > 0 ? { volumes: podVolumes } : {}),
    },
  };
}

function sorted(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => byCodePoint(a, b)));
}
