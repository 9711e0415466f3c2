import { KubeObject, Rule, Violation } from '../../types';
import { isRole } from './rbac-rules';

/** The labels the built-in admin, edit and view ClusterRoles aggregate: a ClusterRole carrying one widens that role. */
export const BUILTIN_AGGREGATION_LABELS: readonly string[] = ['admin', 'edit', 'view'].map((r) => `rbac.authorization.k8s.io/aggregate-to-${r}`);

/**
 * Label keys under Kubernetes' reserved prefixes (kubernetes.io/, k8s.io/ and their subdomains): every
 * built-in role carries kubernetes.io/bootstrapping=rbac-defaults, and some carry the aggregate-to-* labels.
 */
function reservedKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return ['kubernetes.io', 'k8s.io'].some((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/**
 * Why a clusterRoleSelector could select built-in ClusterRoles, or undefined when it cannot. A
 * selector is safe only when it requires a label the built-in roles never carry: at least one
 * matchLabels entry, or In/Exists expression, on a key outside the reserved prefixes. An empty
 * selector selects every ClusterRole (cluster-admin included); NotIn and DoesNotExist also match
 * every role that lacks the key; a reserved key matches built-in roles by design.
 *
 * "Built-in roles never carry a label of your own" holds because nothing can put one there: a
 * manifest that redefines a built-in role is refused outright (rbac/no-builtin-rbac-changes, not
 * waivable), and through the API an update of a ClusterRole needs every permission it grants
 * (RBAC escalation prevention), which for cluster-admin is everything.
 */
export function selectsBuiltinRoles(selector: unknown): string | undefined {
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) return 'is not a label selector: the API server decodes it as an empty one, which selects every ClusterRole';
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const labels = s.matchLabels && typeof s.matchLabels === 'object' ? Object.keys(s.matchLabels as object) : [];
  const expressions: Array<{ key?: unknown; operator?: unknown }> = Array.isArray(s.matchExpressions) ? s.matchExpressions : [];
  const positive = [...labels, ...expressions.filter((e) => e?.operator === 'In' || e?.operator === 'Exists').map((e) => String(e.key ?? ''))];
  // Requirements are ANDed: one required label of your own keeps every built-in role out.
  if (positive.some((k) => k !== '' && !reservedKey(k))) return undefined;
  if (positive.length > 0) return `selects the reserved label ${positive.map((k) => `"${k}"`).join(', ')}, which built-in roles carry`;
  if (labels.length === 0 && expressions.length === 0) return 'is empty, which selects every ClusterRole, cluster-admin included';
  return 'only excludes labels (NotIn, DoesNotExist), which also selects every ClusterRole without them, cluster-admin included';
}

export const noAggregationToBuiltin: Rule = {
  id: 'rbac/no-aggregation-to-builtin',
  title: 'ClusterRoles must not aggregate into admin, edit or view, nor aggregate built-in roles',
  severity: 'critical',
  waivable: true,
  rationale: 'The aggregation controller merges the rules of every ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-admin, -edit or -view '
    + 'into the built-in admin, edit or view role: one labelled ClusterRole silently widens what every subject bound to those roles may do, '
    + 'in every namespace, without touching a binding. The other way round, an aggregationRule whose selector matches the built-in roles '
    + '(a reserved label such as kubernetes.io/bootstrapping or aggregate-to-*, an empty selector, or only NotIn/DoesNotExist expressions) '
    + 'copies their rules, up to cluster-admin, into a role whose name no other rule recognises. A selector requiring a label of your own '
    + 'is safe because no built-in role can carry it: rbac/no-builtin-rbac-changes refuses manifests that redefine one, and through the '
    + 'API changing one needs every permission it grants. Labels on a namespaced Role are not aggregated by anything and are not flagged.',
  remediation: 'Grant custom-resource access through a LeastPrivilegeRole bound where needed; to aggregate your own roles, select only a label under your own domain (for example rbac.example.com/aggregate-to-monitoring) with matchLabels, In or Exists.',
  manifestRemediation: 'Remove the rbac.authorization.k8s.io/aggregate-to-admin, -edit and -view labels, and in aggregationRule.clusterRoleSelectors select only labels under your own domain with matchLabels, In or Exists.',
  references: [
    { source: 'Kubernetes', id: 'RBAC: Aggregated ClusterRoles', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles' },
    { source: 'Kubernetes', id: 'RBAC: User-facing roles', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles' },
  ],
  check(object): Violation[] {
    if (!isRole(object) || object.kind !== 'ClusterRole') return [];
    const out: Violation[] = [];
    const labels = object.metadata?.labels ?? {};
    for (const key of BUILTIN_AGGREGATION_LABELS.filter((k) => Object.prototype.hasOwnProperty.call(labels, k))) {
      const target = key.split('-').pop();
      const value = String((labels as Record<string, unknown>)[key]);
      out.push({
        path: `metadata.labels["${key}"]`, reason: 'widens a built-in role',
        detail: `ClusterRole "${object.metadata?.name}" carries ${key}="${value}", ${value === 'true'
          ? `which merges its rules into the built-in "${target}" role` : `a label reserved for aggregation into the built-in "${target}" role`}`,
      });
    }
    out.push(...aggregationViolations(object));
    return out;
  },
};

function aggregationViolations(object: KubeObject): Violation[] {
  const rule = object.aggregationRule;
  if (rule === undefined || rule === null) return [];
  const selectors: unknown[] = Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : [];
  return selectors.flatMap((selector, i) => {
    const why = selectsBuiltinRoles(selector);
    return why ? [{
      path: `aggregationRule.clusterRoleSelectors[${i}]`, reason: 'aggregates built-in roles',
      detail: `ClusterRole "${object.metadata?.name}" aggregationRule.clusterRoleSelectors[${i}] ${why}`,
    }] : [];
  });
}
