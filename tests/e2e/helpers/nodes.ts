/**
 * Fake Nodes for the real kube-scheduler, and pods made from a stack's templates placed on them:
 * what nodes.e2e.ts (the acme cluster, with dedicated pools) and hello.e2e.ts (its own API server)
 * share. No kubelet runs, so a Node is an object with a Ready status and exactly the taints given.
 */
import { KubeObject } from '../../../policy';
import { POOL_LABEL_KEY, POOL_TAINT_KEY } from '../../../policy/rules/nodes/pools';
import { ApiOptions, ApiResult, podFromTemplate } from './kube';

export type Api = (path: string, opts?: ApiOptions) => Promise<ApiResult>;

/** A Ready Node in `zone`; on a dedicated pool, with the pool's label and taint. */
export async function createNode(api: Api, name: string, zone: string, pool?: string): Promise<void> {
  const node: KubeObject = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone, 'kubernetes.io/os': 'linux', ...(pool ? { [POOL_LABEL_KEY]: pool } : {}) } },
    spec: pool ? { taints: [{ key: POOL_TAINT_KEY, value: pool, effect: 'NoSchedule' }] } : {},
  };
  const created = await api('/api/v1/nodes', { method: 'POST', body: node });
  if (created.status !== 201 && created.status !== 409) throw new Error(`Node ${name}: ${created.status} ${created.body?.message ?? ''}`);
  const capacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  const status = await api(`/api/v1/nodes/${name}/status`, {
    method: 'PATCH', contentType: 'application/merge-patch+json',
    body: { status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'fake node for the e2e suite', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }] } },
  });
  if (status.status !== 200) throw new Error(`Node ${name} status: ${status.status}`);
  // TaintNodesByCondition admission adds node.kubernetes.io/not-ready on create, and no node
  // lifecycle controller runs here to lift it: set the taints to exactly the pool's.
  const taints = await api(`/api/v1/nodes/${name}`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { taints: node.spec.taints ?? [] } } });
  if (taints.status !== 200) throw new Error(`Node ${name} taints: ${taints.status}`);
}

/** The node the scheduler bound a pod to, waiting up to 30 s; undefined if it never did. */
export async function scheduledNode(api: Api, ns: string, name: string): Promise<string | undefined> {
  for (let i = 0; i < 60; i++) {
    const r = await api(`/api/v1/namespaces/${ns}/pods/${name}`);
    if (r.body?.spec?.nodeName) return r.body.spec.nodeName;
    await new Promise((res) => setTimeout(res, 500));
  }
  return undefined;
}

/**
 * Creates `perTemplate` real pods from every pod template of `objects` and waits for the scheduler:
 * one line per pod, "<workload> -> pool|general node: ok" when a sensitive pod landed on a pool's
 * node and any other pod on a general one, "WRONG (node)" otherwise. Throws for a pod refused or
 * never scheduled.
 */
export async function placePods(api: Api, objects: readonly KubeObject[], pools: readonly string[], perTemplate = 2): Promise<string[]> {
  const templates = objects.map((o) => ({ o, pod: podFromTemplate(o) })).filter((t): t is { o: KubeObject; pod: KubeObject } => t.pod !== undefined);
  const placements: string[] = [];
  for (const { o, pod } of templates) {
    const sensitive = pod.metadata?.labels?.['bulwark.dev/sensitive'] === 'true';
    for (let i = 0; i < perTemplate; i++) {
      // No volume controller runs here to bind claims: placement is the question, so a claim
      // volume becomes an emptyDir (the scheduler would otherwise wait for a PersistentVolume).
      const volumes = (pod.spec.volumes ?? []).map((v: any) => (v.persistentVolumeClaim ? { name: v.name, emptyDir: {} } : v));
      const real = { ...pod, metadata: { ...pod.metadata, name: `${o.metadata!.name}-scheduled-${i}` }, spec: { ...pod.spec, volumes } };
      const created = await api(`/api/v1/namespaces/${pod.metadata!.namespace}/pods`, { method: 'POST', body: real });
      if (created.status !== 201) throw new Error(`${real.metadata.name}: ${created.status} ${created.body?.message ?? ''}`);
      const node = await scheduledNode(api, pod.metadata!.namespace!, real.metadata.name);
      if (!node) {
        const why = await api(`/api/v1/namespaces/${pod.metadata!.namespace}/pods/${real.metadata.name}`);
        throw new Error(`${real.metadata.name} was not scheduled: ${JSON.stringify(why.body?.status?.conditions ?? why.body?.status)}`);
      }
      const onPool = pools.some((p) => node.startsWith(`${p}-`));
      placements.push(`${o.metadata!.name} -> ${sensitive ? 'pool' : 'general'} node: ${onPool === sensitive ? 'ok' : `WRONG (${node})`}`);
    }
  }
  return placements;
}
