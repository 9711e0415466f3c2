import { KubeObject, RuleContext } from './types';

/** Objects of `kind` grouped by namespace ("default" when unset), indexed once per evaluation. */
export function byNamespace(context: RuleContext, kind: string): ReadonlyMap<string, readonly KubeObject[]> {
  return context.memo(`by-namespace/${kind}`, () => {
    const index = new Map<string, KubeObject[]>();
    for (const o of context.ofKind(kind)) {
      const ns = o.metadata?.namespace ?? 'default';
      const list = index.get(ns);
      if (list) list.push(o); else index.set(ns, [o]);
    }
    return index;
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
