/**
 * Reading component flags from the documents that carry them, for the control-plane rules:
 * Bulwark's own `KubeAPIServerFlags` document (controlplane.bulwark.dev/v1alpha1, a map of flag
 * name to value, without the leading "--") and kubeadm's ClusterConfiguration
 * (`apiServer.extraArgs`, `controllerManager.extraArgs`, `scheduler.extraArgs`: a list of
 * { name, value } in v1beta4, a map in v1beta3).
 */
import { apiGroupOf, isKindOf } from '../../config-files';
import { KubeObject, Rule, RuleContext, RuleMeta, Violation } from '../../types';

export const FLAGS_API_VERSION = 'controlplane.bulwark.dev/v1alpha1';
export const FLAGS_KIND = 'KubeAPIServerFlags';

export type Component = 'apiServer' | 'controllerManager' | 'scheduler';

const COMPONENT_NAME: Record<Component, string> = { apiServer: 'kube-apiserver', controllerManager: 'kube-controller-manager', scheduler: 'kube-scheduler' };

/** The flags of one component as one document sets them, with the path of each. */
export interface FlagSet {
  readonly component: string;
  /** Where the flags live in the document, e.g. "flags" or "apiServer.extraArgs". */
  readonly path: string;
  has(name: string): boolean;
  get(name: string): string | undefined;
  /** The document path of a flag: its own entry when set, the list otherwise. */
  pathOf(name: string): string;
  /** Comma-separated list flag, trimmed, empty entries dropped. */
  list(name: string): string[];
}

function flagSet(component: Component, path: string, entries: ReadonlyArray<[string, string, string]>): FlagSet {
  // The last occurrence wins, as it does on a command line and in kubeadm.
  const byName = new Map<string, { value: string; path: string }>();
  for (const [name, value, p] of entries) byName.set(name, { value, path: p });
  return {
    component: COMPONENT_NAME[component],
    path,
    has: (name) => byName.has(name),
    get: (name) => byName.get(name)?.value,
    pathOf: (name) => byName.get(name)?.path ?? path,
    list: (name) => (byName.get(name)?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

const KUBEADM = ['kubeadm.k8s.io'];

/** The flags of `component` that `object` sets, or undefined when the object carries none. */
export function componentFlags(object: KubeObject, component: Component): FlagSet | undefined {
  if (component === 'apiServer' && object.kind === FLAGS_KIND && apiGroupOf(object.apiVersion) === apiGroupOf(FLAGS_API_VERSION)) {
    const flags = object.flags && typeof object.flags === 'object' ? object.flags as Record<string, unknown> : {};
    return flagSet(component, 'flags', Object.entries(flags).map(([k, v]) => [k, String(v), `flags.${k}`]));
  }
  if (!isKindOf(object, KUBEADM, 'ClusterConfiguration')) return undefined;
  const args = object[component]?.extraArgs;
  const base = `${component}.extraArgs`;
  if (Array.isArray(args)) {
    return flagSet(component, base, args.map((a: any, i: number) => [String(a?.name), String(a?.value ?? ''), `${base}[${i}]`]));
  }
  const map = args && typeof args === 'object' ? args as Record<string, unknown> : {};
  return flagSet(component, base, Object.entries(map).map(([k, v]) => [k, String(v), `${base}.${k}`]));
}

/** Go's strconv.ParseBool spellings. */
export function isFalse(value: string | undefined): boolean {
  return value !== undefined && ['0', 'f', 'false'].includes(value.toLowerCase());
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'true'].includes(value.toLowerCase());
}

/** A violation on one flag, worded the same way by every flag rule. */
export function flagViolation(flags: FlagSet, name: string, reason: string, want: string): Violation {
  const value = flags.get(name);
  return {
    path: flags.pathOf(name),
    reason,
    detail: `${flags.component} flag --${name} ${value === undefined ? 'is not set' : `is "${value}"`}: ${want}`,
  };
}

/** A rule over the flags of one component, in whichever document carries them. */
export function flagsRule(meta: RuleMeta, component: Component, check: (flags: FlagSet, object: KubeObject, context: RuleContext) => Violation[]): Rule {
  return {
    ...meta,
    check(object, context) {
      const flags = componentFlags(object, component);
      return flags ? check(flags, object, context) : [];
    },
  };
}
