import { apiGroupOf } from './config-files';
import { KubeObject, RuleContext } from './types';

/** A pod spec found inside an object, with the JSON path that leads to it. */
export interface PodSpecSite {
  /** Path of the pod spec, e.g. 'spec.template.spec'. */
  readonly path: string;
  /** Path of the pod metadata, e.g. 'spec.template.metadata'. */
  readonly metadataPath: string;
  /** Pod metadata (template metadata for workloads): annotations matter to AppArmor and seccomp. */
  readonly metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
  readonly spec: any;
  /**
   * The object that holds the pod template and, for controllers, `replicas` (a Deployment's
   * `spec`), with its path; undefined for a bare Pod or PodTemplate.
   */
  readonly owner?: { readonly path: string; readonly value: any };
  /** True when the site was found by searching an object of a kind Bulwark does not know. */
  readonly discovered?: boolean;
}

/** A container of a pod spec, with its path relative to the pod spec. */
export interface ContainerSite {
  readonly path: string;
  readonly container: any;
  readonly name: string;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);
/**
 * Kinds whose pod spec lives at a fixed path, with their API group ("" for core): only that path
 * is read for them. A kind is known only in its own group: a batch.volcano.sh Job or an
 * example.com Deployment is another kind with the same name, searched like any unknown kind.
 */
export const KNOWN_POD_KINDS: ReadonlyMap<string, string> = new Map([
  ['Pod', ''], ['PodTemplate', ''], ['ReplicationController', ''],
  ['Deployment', 'apps'], ['StatefulSet', 'apps'], ['DaemonSet', 'apps'], ['ReplicaSet', 'apps'],
  ['Job', 'batch'], ['CronJob', 'batch'],
]);

/** True when the object is one of KNOWN_POD_KINDS, in that kind's API group (any version). */
export function isKnownPodKind(o: KubeObject): boolean {
  return !!o && typeof o.kind === 'string' && KNOWN_POD_KINDS.get(o.kind) === apiGroupOf(o.apiVersion);
}
/** How deep the search for pod specs in other kinds goes (JobSet nests one at depth 8). */
export const POD_SEARCH_DEPTH = 64;

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function knownSite(o: KubeObject): PodSpecSite | undefined {
  if (o.kind === 'Pod' && o.spec) {
    return { path: 'spec', metadataPath: 'metadata', metadata: o.metadata ?? {}, spec: o.spec };
  }
  if (o.kind === 'PodTemplate' && o.template?.spec) {
    return { path: 'template.spec', metadataPath: 'template.metadata', metadata: o.template.metadata ?? {}, spec: o.template.spec };
  }
  if (TEMPLATE_KINDS.has(o.kind) && o.spec?.template?.spec) {
    return { path: 'spec.template.spec', metadataPath: 'spec.template.metadata', metadata: o.spec.template.metadata ?? {}, spec: o.spec.template.spec, owner: { path: 'spec', value: o.spec } };
  }
  if (o.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template?.spec) {
    const t = o.spec.jobTemplate.spec.template;
    return { path: 'spec.jobTemplate.spec.template.spec', metadataPath: 'spec.jobTemplate.spec.template.metadata', metadata: t.metadata ?? {}, spec: t.spec, owner: { path: 'spec.jobTemplate.spec', value: o.spec.jobTemplate.spec } };
  }
  return undefined;
}

/**
 * True when `v` looks like a PodSpec: a non-empty `containers` array with at least one object
 * naming a container or an image. Loose on purpose: a miss lets a pod through unchecked.
 */
export function looksLikePodSpec(v: unknown): v is { containers: any[] } {
  return isObject(v) && Array.isArray(v.containers) && v.containers.length > 0
    && v.containers.some((c: unknown) => isObject(c) && (typeof c.name === 'string' || typeof c.image === 'string'));
}

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `[${JSON.stringify(k)}]`);
const child = (path: string, k: string) => (key(k).startsWith('[') ? `${path}${key(k)}` : path ? `${path}.${k}` : k);

/**
 * Every pod spec inside an object of a kind Bulwark does not know (Argo Rollouts, Knative
 * Services, any custom resource embedding a PodSpec or PodTemplateSpec), depth-first in document
 * order. Iterative, each node visited once: linear in the object's size, bounded in depth.
 * `metadata` and `status` at the top are not searched: the first is the object's own, the second
 * is written by its controller.
 */
function discoveredSites(o: KubeObject): PodSpecSite[] {
  const sites: PodSpecSite[] = [];
  const seen = new Set<object>();
  // Pushed in reverse so that the stack pops in document order.
  const stack: Array<{ value: any; path: string; depth: number; parent?: { value: any; path: string }; parentKey?: string; grand?: { value: any; path: string } }> = [];
  const top = Object.keys(o).filter((k) => k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind');
  for (const k of top.reverse()) stack.push({ value: (o as any)[k], path: k, depth: 1, parent: { value: o, path: '' }, parentKey: k });
  while (stack.length > 0) {
    const { value, path, depth, parent, parentKey, grand } = stack.pop()!;
    if (!value || typeof value !== 'object' || seen.has(value) || depth > POD_SEARCH_DEPTH) continue;
    seen.add(value);
    if (looksLikePodSpec(value)) {
      // A PodTemplateSpec is { metadata, spec }: the pod metadata is the spec's sibling, and the
      // owner (where a controller keeps replicas) is the object holding the template. A bare
      // PodSpec has no pod metadata of its own; its owner is the object holding it.
      const template = parentKey === 'spec' && parent && isObject(parent.value) ? parent : undefined;
      const owner = template ? grand : parent;
      sites.push({
        path,
        metadataPath: template ? child(template.path, 'metadata') : path,
        metadata: template && isObject(template.value.metadata) ? template.value.metadata : {},
        spec: value,
        discovered: true,
        ...(owner && isObject(owner.value) ? { owner: { path: owner.path, value: owner.value } } : {}),
      });
    }
    const entries: Array<[string, any]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i];
      if (!v || typeof v !== 'object') continue;
      const p = Array.isArray(value) ? `${path}[${k}]` : child(path, k);
      stack.push({ value: v, path: p, depth: depth + 1, parent: { value, path }, parentKey: Array.isArray(value) ? undefined : k, grand: parent });
    }
  }
  return sites;
}

/**
 * Every pod spec an object carries. Known kinds (Pod, PodTemplate, the workload controllers,
 * CronJob, each in its own API group) at their one fixed path; any other kind searched for
 * embedded pod specs.
 */
export function podSpecsOf(o: KubeObject): PodSpecSite[] {
  if (!o || typeof o !== 'object' || typeof o.kind !== 'string') return [];
  if (isKnownPodKind(o)) {
    const site = knownSite(o);
    return site ? [site] : [];
  }
  return discoveredSites(o);
}

/** The first pod spec of an object (see podSpecsOf); undefined when it carries none. */
export function podSpecOf(o: KubeObject): PodSpecSite | undefined {
  return podSpecsOf(o)[0];
}

/** podSpecsOf, computed once per object per evaluation (rules share it through the context). */
export function podSitesIn(o: KubeObject, context: RuleContext): readonly PodSpecSite[] {
  const cache = context.memo('pod-spec/sites', () => new WeakMap<object, PodSpecSite[]>());
  let sites = cache.get(o);
  if (!sites) {
    sites = podSpecsOf(o);
    if (o && typeof o === 'object') cache.set(o, sites);
  }
  return sites;
}

/** Init containers, then containers, then ephemeral containers, as PSA visits them. */
export function containersOf(spec: any): ContainerSite[] {
  const out: ContainerSite[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = Array.isArray(spec?.[field]) ? spec[field] : [];
    list.forEach((c: any, i: number) => out.push({ path: `${field}[${i}]`, container: c ?? {}, name: String(c?.name ?? `${field}[${i}]`) }));
  }
  return out;
}

/** True when the pod runs in a user namespace (hostUsers: false), which relaxes some checks. */
export function inUserNamespace(spec: any): boolean {
  return spec?.hostUsers === false;
}

export function isWindowsPod(spec: any): boolean {
  return spec?.os?.name === 'windows';
}

export function join(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('.');
}

/** `"a", "b"`, as PSA quotes names in its messages. */
export function joinQuote(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

export function pluralize(singular: string, plural: string, n: number): string {
  return n === 1 ? singular : plural;
}

/** Known kinds that keep `spec.replicas` copies of their pods. */
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/**
 * How many copies of a site's pods its controller keeps, and the path of that field: for the
 * replicated kinds (`spec.replicas`, default 1), and for a pod spec found in another kind whose
 * owner declares a numeric `replicas` (an Argo Rollout, a custom resource's worker group).
 * Undefined for everything else (bare pods, jobs, daemon sets, autoscaled Knative services).
 */
export function replicasOf(object: KubeObject, site: PodSpecSite, context?: RuleContext): { count: number; path: string } | undefined {
  if (REPLICATED_KINDS.has(object.kind) && isKnownPodKind(object)) {
    // With no fixed count, a HorizontalPodAutoscaler targeting the object keeps at least its minimum.
    const hpa = object.spec?.replicas === undefined && context ? autoscalersOf(object, context)[0] : undefined;
    if (hpa) return { count: typeof hpa.spec?.minReplicas === 'number' ? hpa.spec.minReplicas : 1, path: 'spec.replicas' };
    return { count: object.spec?.replicas ?? 1, path: 'spec.replicas' };
  }
  const replicas = site.discovered ? site.owner?.value?.replicas : undefined;
  return typeof replicas === 'number' && site.owner ? { count: replicas, path: join(site.owner.path, 'replicas') } : undefined;
}

/**
 * The HorizontalPodAutoscalers (autoscaling/v1 or v2) in the object's namespace whose
 * scaleTargetRef names it, looked up in an index built once per evaluation.
 */
export function autoscalersOf(object: KubeObject, context: RuleContext): readonly KubeObject[] {
  const index = context.memo('autoscalers/by-target', () => {
    const map = new Map<string, KubeObject[]>();
    for (const hpa of context.ofKind('HorizontalPodAutoscaler')) {
      // Only the versions the API server serves: a look-alike of another group or a removed
      // version (autoscaling/v2beta2) is refused on apply, and must not lower a workload's replicas.
      if (hpa.apiVersion !== 'autoscaling/v1' && hpa.apiVersion !== 'autoscaling/v2') continue;
      const ref = hpa.spec?.scaleTargetRef ?? {};
      const key = JSON.stringify([hpa.metadata?.namespace ?? 'default', ref.kind, ref.name]);
      const list = map.get(key);
      if (list) list.push(hpa); else map.set(key, [hpa]);
    }
    return map;
  });
  return index.get(JSON.stringify([object.metadata?.namespace ?? 'default', object.kind, object.metadata?.name])) ?? [];
}
