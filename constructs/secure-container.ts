import { Size } from 'cdk8s';
import { IConfigSource } from './config-map';
import { Image } from './image';
import { Port } from './port';
import { Probe } from './probe';
import { Waiver } from './waiver';

/** A quantity such as "100m", "1", "128Mi". */
export type Quantity = string;

export interface RequestAndLimit {
  readonly request: Quantity;
  readonly limit: Quantity;
}

/**
 * Requests and limits. The defaults make requests equal limits: Guaranteed QoS, so the pod is the
 * last to be evicted under node pressure and cannot burst into its neighbours' share
 * (kube-score container-resource-requests-equal-limits).
 */
export interface ContainerResources {
  /** @default - request and limit "250m" */
  readonly cpu?: RequestAndLimit;
  /** @default - request and limit "256Mi" */
  readonly memory?: RequestAndLimit;
  /** @default - request and limit "256Mi" (a container that fills the node disk evicts its neighbours) */
  readonly ephemeralStorage?: RequestAndLimit;
}

export const DEFAULT_RESOURCES: Required<ContainerResources> = {
  cpu: { request: '250m', limit: '250m' },
  memory: { request: '256Mi', limit: '256Mi' },
  ephemeralStorage: { request: '256Mi', limit: '256Mi' },
};

export interface SecretFile {
  /** Name of the Secret in the workload's namespace. */
  readonly secretName: string;
  /** Directory the Secret's keys appear in, one file per key, read-only. */
  readonly mountPath: string;
}

export interface SecretEnv {
  readonly secretName: string;
  readonly key: string;
}

/** A ConfigMap mounted as read-only files, one per key. */
export interface ConfigFiles {
  readonly config: IConfigSource;
  readonly mountPath: string;
}

/** One key of a ConfigMap as an environment variable. */
export interface ConfigEnv {
  readonly config: IConfigSource;
  readonly key: string;
}

export type AccessMode = 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadOnlyMany' | 'ReadWriteMany';

/**
 * Storage that outlives the pod: a PersistentVolumeClaim for a Deployment, a volume claim
 * template (one claim per replica) for a StatefulSet.
 */
export interface PersistentPath {
  /** Volume and claim name, unique in the workload. */
  readonly name: string;
  readonly path: string;
  /** A quantity, e.g. "10Gi". */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default "ReadWriteOnce" */
  readonly accessMode?: AccessMode;
}

export interface WritablePath {
  readonly path: string;
  /** @default Size.mebibytes(64) */
  readonly sizeLimit?: Size;
}

/**
 * A container of a SecureWorkload. There is deliberately no privileged, hostPort, capability
 * or user-0 option: those cannot be expressed, only added by a JSON patch, which synth rejects.
 */
export interface SecureContainerProps {
  /** Container name, unique in the pod. */
  readonly name: string;
  /** Image, pinned by digest in production (rule images/digest-pinned). */
  readonly image: Image | string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** Ports the container listens on. @default - none */
  readonly ports?: readonly Port[];
  /** Plain environment values. Secrets belong in secretFiles (rule workloads/secrets-as-files). @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Secrets as environment variables. Fails synth unless this container waives
   * workloads/secrets-as-files; prefer secretFiles.
   * @default - none
   */
  readonly secretEnv?: Readonly<Record<string, SecretEnv>>;
  /** Secrets mounted as read-only files. @default - none */
  readonly secretFiles?: readonly SecretFile[];
  /** ConfigMaps mounted as read-only files. @default - none */
  readonly configFiles?: readonly ConfigFiles[];
  /** ConfigMap keys as environment variables. @default - none */
  readonly configEnv?: Readonly<Record<string, ConfigEnv>>;
  /** Persistent, writable storage (Deployment and StatefulSet). @default - none */
  readonly persistentPaths?: readonly PersistentPath[];
  /** @default - DEFAULT_RESOURCES: requests and limits for cpu, memory and ephemeral storage (rule workloads/resources) */
  readonly resources?: ContainerResources;
  /**
   * Size-limited emptyDir mounts where the process may write; the root filesystem is read-only
   * (rule workloads/read-only-root-filesystem).
   * @default - one 64Mi emptyDir at /tmp
   */
  readonly writablePaths?: readonly WritablePath[];
  /** @default - none; long-running workloads fail synth without one unless workloads/probes is waived */
  readonly liveness?: Probe;
  /** @default - none; long-running workloads fail synth without one unless workloads/probes is waived */
  readonly readiness?: Probe;
  /** @default - none */
  readonly startup?: Probe;
  /** Waivers scoped to this container. @default - none */
  readonly waivers?: readonly Waiver[];
}

const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** Resources with defaults applied and every quantity checked; throws naming the prop. */
export function resolveResources(who: string, r: ContainerResources | undefined, defaults: ContainerResources = DEFAULT_RESOURCES): Required<ContainerResources> {
  const out: Required<ContainerResources> = {
    cpu: r?.cpu ?? defaults.cpu ?? DEFAULT_RESOURCES.cpu,
    memory: r?.memory ?? defaults.memory ?? DEFAULT_RESOURCES.memory,
    ephemeralStorage: r?.ephemeralStorage ?? defaults.ephemeralStorage ?? DEFAULT_RESOURCES.ephemeralStorage,
  };
  for (const [k, v] of Object.entries(out) as Array<[string, RequestAndLimit]>) {
    for (const part of ['request', 'limit'] as const) {
      if (!QUANTITY.test(String(v?.[part]))) {
        throw new Error(`${who}: resources.${k}.${part} "${v?.[part]}" is not a Kubernetes quantity (rule workloads/resources). Use a value such as "250m" or "256Mi".`);
      }
    }
    if (quantityValue(v.request) > quantityValue(v.limit)) {
      throw new Error(`${who}: resources.${k}.request "${v.request}" is above its limit "${v.limit}" (rule workloads/resources). The API server rejects this; make the request at most the limit.`);
    }
  }
  return out;
}

const UNITS: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The numeric value of a quantity already matched by QUANTITY, for comparisons. */
export function quantityValue(q: Quantity): number {
  const m = QUANTITY.exec(q)!;
  return Number(m[1]) * UNITS[m[3] ?? ''];
}

/** The resources block of a container: requests and limits for cpu, memory and ephemeral storage. */
export function renderResources(r: Required<ContainerResources>): { requests: Record<string, string>; limits: Record<string, string> } {
  return {
    requests: { cpu: r.cpu.request, 'ephemeral-storage': r.ephemeralStorage.request, memory: r.memory.request },
    limits: { cpu: r.cpu.limit, 'ephemeral-storage': r.ephemeralStorage.limit, memory: r.memory.limit },
  };
}
