import { KubeObject, RuleContext } from './types';

/**
 * Objects that carry a label selector, indexed so that finding the ones selecting a set of labels
 * does not scan them all: an object whose selector requires some `key: value` in matchLabels is
 * filed under one such pair, and only objects filed under one of the labels' pairs, or with no
 * matchLabels at all, are tested with the full selector semantics.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  private readonly unkeyed: T[] = [];

  constructor(items: readonly T[], private readonly selectorOf: (item: T) => LabelSelector | undefined | null) {
    for (const item of items) {
      const labels = Object.entries(selectorOf(item)?.matchLabels ?? {});
      if (labels.length === 0) { this.unkeyed.push(item); continue; }
      const key = JSON.stringify(labels[0]);
      const list = this.byPair.get(key);
      if (list) list.push(item); else this.byPair.set(key, [item]);
    }
  }

  /** Every item whose selector selects `labels`, in input order within each bucket. */
  public selecting(labels: Record<string, string>): T[] {
    const out: T[] = this.unkeyed.filter((i) => selects(this.selectorOf(i), labels));
    for (const pair of Object.entries(labels)) {
      for (const i of this.byPair.get(JSON.stringify(pair)) ?? []) if (selects(this.selectorOf(i), labels)) out.push(i);
    }
    return out;
  }
}

/**
 * Objects of exactly `apiVersion` and `kind` per namespace ("default" when unset), each namespace's
 * indexed by the selector at `selectorOf`: built once per evaluation, shared by every object
 * checked. The version is exact on purpose: an object of a version the API server does not serve
 * (networking.k8s.io/v1alpha1 NetworkPolicy, policy/v1beta1 PodDisruptionBudget) is refused when
 * applied, while the rest applies, so it must never count as the object a rule looks for.
 */
export function selectorsByNamespace(context: RuleContext, apiVersion: string, kind: string, selectorOf: (o: KubeObject) => LabelSelector | undefined | null): ReadonlyMap<string, SelectorIndex<KubeObject>> {
  return context.memo(`selectors-by-namespace/${apiVersion}/${kind}`, () => {
    const groups = new Map<string, KubeObject[]>();
    for (const o of context.ofKind(kind)) {
      if (o.apiVersion !== apiVersion) continue;
      const ns = o.metadata?.namespace ?? 'default';
      const list = groups.get(ns);
      if (list) list.push(o); else groups.set(ns, [o]);
    }
    return new Map([...groups].map(([ns, list]) => [ns, new SelectorIndex(list, selectorOf)]));
  });
}

/** Kubernetes label selector semantics, shared by rules that relate objects. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

/** True when `selector` selects `labels`. An empty selector selects everything; undefined selects nothing. */
export function selects(selector: LabelSelector | undefined | null, labels: Record<string, string> = {}): boolean {
  if (selector == null) return false;
  for (const [k, val] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== val) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
