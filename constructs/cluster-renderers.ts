/**
 * kubeadm and kind renderings of a ControlPlane: the same flags and files, wired into the
 * static pods kubeadm writes (extraArgs, extraVolumes) and into kind's node containers
 * (extraMounts, kubeadmConfigPatches). Pure functions of what ControlPlane computed.
 */
import { KubeObject } from '../policy';
import { toYamlDocument } from './manifest-yaml';

export const KUBEADM_API_VERSION = 'kubeadm.k8s.io/v1beta4';

export interface NodeGroup {
  /** "" for general workers, else the dedicated pool's name. */
  readonly pool: string;
  readonly taints: ReadonlyArray<{ key: string; value?: string; effect: string }>;
  /** Labels an admin applies after the join (a kubelet may not set node-restriction.kubernetes.io/ ones). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ClusterRenderInput {
  /** e.g. "1.36" */
  readonly kubernetesMinor: string;
  readonly controlPlaneEndpoint: string;
  readonly configDirectory: string;
  readonly pkiDirectory: string;
  /** kube-apiserver flags, in order. */
  readonly apiServerFlags: Readonly<Record<string, string>>;
  readonly controllerManagerFlags: Readonly<Record<string, string>>;
  readonly schedulerFlags: Readonly<Record<string, string>>;
  /** Directory of the audit log file (mounted writable into the API server's pod), if any. */
  readonly auditLogDirectory?: string;
  readonly kubelet: KubeObject;
  readonly joinToken: string;
  readonly caCertHash: string;
}

const args = (flags: Readonly<Record<string, string>>) => Object.entries(flags).map(([name, value]) => ({ name, value }));

function apiServerVolumes(input: ClusterRenderInput): object[] {
  return [
    { name: 'bulwark-config', hostPath: input.configDirectory, mountPath: input.configDirectory, readOnly: true, pathType: 'Directory' },
    ...(input.auditLogDirectory ? [{ name: 'audit-log', hostPath: input.auditLogDirectory, mountPath: input.auditLogDirectory, readOnly: false, pathType: 'DirectoryOrCreate' }] : []),
  ];
}

export function clusterConfiguration(input: ClusterRenderInput): KubeObject {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'ClusterConfiguration',
    kubernetesVersion: `stable-${input.kubernetesMinor}`,
    controlPlaneEndpoint: input.controlPlaneEndpoint,
    certificatesDir: input.pkiDirectory,
    apiServer: { extraArgs: args(input.apiServerFlags), extraVolumes: apiServerVolumes(input) },
    controllerManager: { extraArgs: args(input.controllerManagerFlags) },
    scheduler: { extraArgs: args(input.schedulerFlags) },
  };
}

export function initConfiguration(): KubeObject {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'InitConfiguration',
    // The default, made explicit: no workload runs on a control-plane node.
    nodeRegistration: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
  };
}

export function joinConfiguration(input: ClusterRenderInput, group: NodeGroup): KubeObject {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: 'JoinConfiguration',
    discovery: { bootstrapToken: { apiServerEndpoint: input.controlPlaneEndpoint, token: input.joinToken, caCertHashes: [input.caCertHash] } },
    nodeRegistration: { taints: group.taints.map((t) => ({ ...t })) },
  };
}

/** A kind Cluster (kind.x-k8s.io/v1alpha4): one control-plane node with the files mounted, one worker per group. */
export function kindCluster(input: ClusterRenderInput, options: { name: string; hostConfigDirectory: string; groups: readonly NodeGroup[] }): KubeObject {
  const cluster = clusterConfiguration(input);
  const patch = { apiVersion: KUBEADM_API_VERSION, kind: 'ClusterConfiguration', apiServer: cluster.apiServer, controllerManager: cluster.controllerManager, scheduler: cluster.scheduler };
  return {
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    kind: 'Cluster',
    name: options.name,
    kubeadmConfigPatches: [toYamlDocument(patch), toYamlDocument(input.kubelet)],
    nodes: [
      { role: 'control-plane', extraMounts: [{ hostPath: options.hostConfigDirectory, containerPath: input.configDirectory, readOnly: true }] },
      ...options.groups.map((g) => (g.taints.length === 0
        ? { role: 'worker' }
        : { role: 'worker', kubeadmConfigPatches: [toYamlDocument({ apiVersion: KUBEADM_API_VERSION, kind: 'JoinConfiguration', nodeRegistration: { taints: g.taints.map((t) => ({ ...t })) } })] })),
    ],
  };
}
