/**
 * A finding's fix, phrased for what the reader edits: the construct prop for an object Bulwark's
 * constructs made, the field to set for any other manifest (Helm, Kustomize, kubectl output).
 */
import { KubeObject, RuleMeta } from './types';

export type RemediationFor = 'construct' | 'manifest';

/**
 * Keys Bulwark writes: `bulwark.dev/<name>` labels and annotations (environment, rule, sensitive,
 * pool, team ...) and `<x>.bulwark.dev/` prefixes. The waiver annotations are left out: anyone may
 * write them on a third-party manifest, and they do not make it Bulwark's.
 */
function isBulwarkKey(key: string): boolean {
  if (key === 'bulwark.dev/waivers' || key.startsWith('waiver.bulwark.dev/')) return false;
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return prefix === 'bulwark.dev' || prefix.endsWith('.bulwark.dev');
}

function carriesBulwarkKeys(metadata: unknown): boolean {
  if (!metadata || typeof metadata !== 'object') return false;
  const m = metadata as { labels?: unknown; annotations?: unknown };
  return [m.labels, m.annotations].some((map) => map !== null && typeof map === 'object' && Object.keys(map as object).some(isBulwarkKey));
}

/**
 * True when the object was made by Bulwark's constructs: it, or its pod template, carries one of
 * Bulwark's labels or annotations, or it lives in a namespace that does (an IsolatedNamespace is
 * labelled bulwark.dev/environment); `namespaces` are the Namespace objects known, by name.
 */
export function isBulwarkMade(object: KubeObject, namespaces: ReadonlyMap<string, KubeObject> = new Map()): boolean {
  if (carriesBulwarkKeys(object.metadata)) return true;
  const template = object.spec?.template ?? object.spec?.jobTemplate?.spec?.template;
  if (template && carriesBulwarkKeys(template.metadata)) return true;
  const ns = object.metadata?.namespace;
  const namespace = typeof ns === 'string' ? namespaces.get(ns) : undefined;
  return namespace !== undefined && carriesBulwarkKeys(namespace.metadata);
}

/** The Namespace objects among `objects`, by name. */
export function namespacesByName(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) if (o?.kind === 'Namespace' && o.apiVersion === 'v1' && typeof o.metadata?.name === 'string') out.set(o.metadata.name, o);
  return out;
}

/** The fix to show: the construct one for Bulwark's objects, the manifest one otherwise. */
export function remediationFor(rule: Pick<RuleMeta, 'remediation' | 'manifestRemediation'>, bulwarkMade: boolean): { text: string; for: RemediationFor } {
  if (bulwarkMade || !rule.manifestRemediation) return { text: rule.remediation, for: 'construct' };
  return { text: rule.manifestRemediation, for: 'manifest' };
}
