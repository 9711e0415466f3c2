import { selects } from '../../selectors';
import { KubeObject, Rule, RuleContext, Violation } from '../../types';
import { isNetworkPolicy } from './network-policy-apis';

/** The label a team's Namespaces carry, and the annotations where each side declares the other. */
export const TEAM_LABEL = 'bulwark.dev/team';
export const ACCEPTS_FROM_ANNOTATION = 'bulwark.dev/accepts-from';
export const CONNECTS_TO_ANNOTATION = 'bulwark.dev/connects-to';

interface TeamNamespace { readonly name: string; readonly team: string; readonly labels: Record<string, string>; readonly acceptsFrom: string[]; readonly connectsTo: string[] }

const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter((x) => x.length > 0) : []);

/** Every Namespace among the objects that belongs to a team, indexed once per evaluation. */
function teamNamespaces(context: RuleContext): { byName: Map<string, TeamNamespace>; all: TeamNamespace[] } {
  return context.memo('network/team-namespaces', () => {
    const all = context.ofKind('Namespace').flatMap((ns: KubeObject): TeamNamespace[] => {
      // Only a v1 Namespace is one: an object of another group named "Namespace" would let whoever
      // adds it declare another team's namespace their own, or an agreement that team never made.
      if (ns.apiVersion !== 'v1') return [];
      const team = ns.metadata?.labels?.[TEAM_LABEL];
      const name = ns.metadata?.name;
      if (typeof team !== 'string' || typeof name !== 'string') return [];
      return [{
        name, team,
        // The API server sets kubernetes.io/metadata.name on every namespace.
        labels: { ...ns.metadata?.labels, 'kubernetes.io/metadata.name': name },
        acceptsFrom: list(ns.metadata?.annotations?.[ACCEPTS_FROM_ANNOTATION]),
        connectsTo: list(ns.metadata?.annotations?.[CONNECTS_TO_ANNOTATION]),
      }];
    });
    return { byName: new Map(all.map((n) => [n.name, n])), all };
  });
}

export const crossTeamTraffic: Rule = {
  id: 'network/cross-team-traffic',
  title: 'Traffic between two teams\' namespaces needs both teams to declare it',
  severity: 'high',
  waivable: true,
  rationale: 'A team boundary is a trust boundary: a NetworkPolicy written in one team\'s namespace must not open a path to or from another team\'s pods unless that team agreed, or any team could reach anyone by writing one policy.',
  remediation: 'Declare the connection on both sides: the receiving team lists the sender in acceptsFrom and the sending team lists the receiver in connectsTo (TeamStack props, written to the namespaces\' bulwark.dev/accepts-from and bulwark.dev/connects-to annotations).',
  manifestRemediation: 'Annotate the receiving team\'s Namespace with bulwark.dev/accepts-from: <sending team> and the sending team\'s Namespace with bulwark.dev/connects-to: <receiving team>, or remove the peer that selects the other team\'s namespaces.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: namespaces and network policies as boundaries between teams' },
    { source: 'CIS', id: '5.3.2' },
  ],
  check(object, context): Violation[] {
    if (!isNetworkPolicy(object)) return [];
    const { byName, all } = teamNamespaces(context);
    const own = byName.get(object.metadata?.namespace ?? 'default');
    if (!own) return [];
    const out: Violation[] = [];
    for (const [direction, field] of [['ingress', 'from'], ['egress', 'to']] as const) {
      const rules: any[] = Array.isArray(object.spec?.[direction]) ? object.spec[direction] : [];
      rules.forEach((rule, i) => {
        const peers: any[] = Array.isArray(rule?.[field]) ? rule[field] : [];
        peers.forEach((peer, j) => {
          if (!peer || typeof peer !== 'object' || peer.namespaceSelector === undefined) return;
          for (const other of all.filter((n) => n.team !== own.team && selects(peer.namespaceSelector, n.labels))) {
            const agreed = direction === 'ingress'
              ? own.acceptsFrom.includes(other.team) && other.connectsTo.includes(own.team)
              : own.connectsTo.includes(other.team) && other.acceptsFrom.includes(own.team);
            if (agreed) continue;
            out.push({
              path: `spec.${direction}[${i}].${field}[${j}].namespaceSelector`,
              reason: 'undeclared cross-team traffic',
              detail: direction === 'ingress'
                ? `team "${own.team}" admits traffic from namespace "${other.name}" of team "${other.team}", but ${own.acceptsFrom.includes(other.team) ? '' : `"${own.team}" does not accept from "${other.team}"${other.connectsTo.includes(own.team) ? '' : ' and '}`}${other.connectsTo.includes(own.team) ? '' : `"${other.team}" does not declare it connects to "${own.team}"`}`
                : `team "${own.team}" sends traffic to namespace "${other.name}" of team "${other.team}", but ${own.connectsTo.includes(other.team) ? '' : `"${own.team}" does not declare it connects to "${other.team}"${other.acceptsFrom.includes(own.team) ? '' : ' and '}`}${other.acceptsFrom.includes(own.team) ? '' : `"${other.team}" does not accept from "${own.team}"`}`,
            });
          }
        });
      });
    }
    return out;
  },
};
