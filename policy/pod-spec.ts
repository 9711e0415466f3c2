import { KubeObject } from './types';

/** A pod spec found inside an object, with the JSON path that leads to it. */
export interface PodSpecSite {
  /** Path of the pod spec, e.g. 'spec.template.spec'. */
  readonly path: string;
  /** Path of the pod metadata, e.g. 'spec.template.metadata'. */
  readonly metadataPath: string;
  /** Pod metadata (template metadata for workloads): annotations matter to AppArmor and seccomp. */
  readonly metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
  readonly spec: any;
}

/** A container of a pod spec, with its path relative to the pod spec. */
export interface ContainerSite {
  readonly path: string;
  readonly container: any;
  readonly name: string;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Finds the pod spec a Pod, PodTemplate, workload or CronJob carries; undefined for other kinds. */
export function podSpecOf(o: KubeObject): PodSpecSite | undefined {
  if (!o || typeof o !== 'object') return undefined;
  if (o.kind === 'Pod' && o.spec) {
    return { path: 'spec', metadataPath: 'metadata', metadata: o.metadata ?? {}, spec: o.spec };
  }
  if (o.kind === 'PodTemplate' && o.template?.spec) {
    return { path: 'template.spec', metadataPath: 'template.metadata', metadata: o.template.metadata ?? {}, spec: o.template.spec };
  }
  if (TEMPLATE_KINDS.has(o.kind) && o.spec?.template?.spec) {
    return { path: 'spec.template.spec', metadataPath: 'spec.template.metadata', metadata: o.spec.template.metadata ?? {}, spec: o.spec.template.spec };
  }
  if (o.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template?.spec) {
    const t = o.spec.jobTemplate.spec.template;
    return { path: 'spec.jobTemplate.spec.template.spec', metadataPath: 'spec.jobTemplate.spec.template.metadata', metadata: t.metadata ?? {}, spec: t.spec };
  }
  return undefined;
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
