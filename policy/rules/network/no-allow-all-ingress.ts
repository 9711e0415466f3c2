import { familiesCovered, parseCidr } from '../../cidr';
import { LabelSelector, selects } from '../../selectors';
import { Rule, Violation } from '../../types';
import { isNetworkPolicy } from './network-policy-apis';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function isSelector(v: unknown): v is LabelSelector {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/**
 * True when a namespaceSelector selects a namespace anyone allowed to create one could make: a
 * new namespace carries only the name label the API server sets, with a name no selector lists.
 * `{}`, `NotIn`, `DoesNotExist` and `Exists` on the name label all select it: every namespace.
 */
function selectsAnyNewNamespace(selector: LabelSelector): boolean {
  const used = new Set<string>([
    ...Object.values(selector.matchLabels ?? {}),
    ...(selector.matchExpressions ?? []).flatMap((e) => e?.values ?? []),
  ].map(String));
  let name = 'bulwark-new-namespace';
  while (used.has(name)) name += '-x';
  return selects(selector, { [NAMESPACE_NAME_LABEL]: name });
}

const familyName = (f: 4 | 6) => (f === 4 ? 'IPv4' : 'IPv6');

export const noAllowAllIngress: Rule = {
  id: 'network/no-allow-all-ingress',
  title: 'NetworkPolicies must not admit ingress from everywhere',
  severity: 'high',
  waivable: true,
  rationale: 'NetworkPolicies add up: one rule that admits every source (no "from", an ipBlock covering every address, or a namespaceSelector that selects every namespace) voids the namespace\'s default deny for the pods it selects, and opens them to any pod in the cluster and the internet.',
  remediation: 'Name the sources: a namespaceSelector on kubernetes.io/metadata.name plus a podSelector (SecureWorkload.allowFrom), or the ipBlock ranges the traffic really comes from; waive on the NetworkPolicy for a deliberate public entry point such as an ingress controller.',
  manifestRemediation: 'Replace the empty from: (or the spec.ingress[] rule without from) with a namespaceSelector on kubernetes.io/metadata.name plus a podSelector, or ipBlock ranges of the real sources.',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network policies' },
    { source: 'CIS', id: '5.3.2' },
    { source: 'Steampipe', id: 'network_policy_default_dont_allow_ingress', url: 'https://hub.steampipe.io/plugins/turbot/kubernetes/queries/network_policy/network_policy_default_dont_allow_ingress' },
  ],
  check(object): Violation[] {
    if (!isNetworkPolicy(object)) return [];
    const ingress: any[] = Array.isArray(object.spec?.ingress) ? object.spec.ingress : [];
    const out: Violation[] = [];
    const allCidrs: string[] = [];
    // Families already reported as wholly admitted (by a rule with no source, or by ipBlocks).
    const reported = new Set<4 | 6>();
    ingress.forEach((rule, i) => {
      const from: any[] = Array.isArray(rule?.from) ? rule.from : [];
      if (from.length === 0) {
        out.push({ path: `spec.ingress[${i}]`, reason: 'ingress from anywhere', detail: `ingress rule ${i} has no "from", so it admits every source: every pod of every namespace and every address` });
        reported.add(4).add(6);
        return;
      }
      const cidrs: string[] = [];
      from.forEach((peer, j) => {
        const path = `spec.ingress[${i}].from[${j}]`;
        const ns = peer?.namespaceSelector;
        const pods = peer?.podSelector;
        const cidr = peer?.ipBlock?.cidr;
        if (peer?.ipBlock !== undefined && peer?.ipBlock !== null && (typeof cidr !== 'string' || !parseCidr(cidr))) {
          // Fail closed: a range Bulwark cannot read may be one a CNI reads as every address.
          out.push({ path: `${path}.ipBlock`, reason: 'ingress from anywhere', detail: `peer ${j} of ingress rule ${i} has ipBlock.cidr ${JSON.stringify(cidr)}, which is not a CIDR Bulwark can read, so it may admit every address` });
          return;
        }
        if (!isSelector(ns) && !isSelector(pods) && typeof cidr !== 'string') {
          out.push({ path, reason: 'ingress from anywhere', detail: `peer ${j} of ingress rule ${i} names no source, which admits every source` });
          reported.add(4).add(6);
          return;
        }
        if (isSelector(ns) && selectsAnyNewNamespace(ns)) {
          const which = !isSelector(pods) || isEmptySelector(pods)
            ? 'every pod of every namespace'
            : 'pods with these labels in every namespace, and pod labels are chosen by whoever creates the pod';
          out.push({ path, reason: 'ingress from every namespace', detail: `peer ${j} of ingress rule ${i} has a namespaceSelector that selects every namespace, a new one included, so it admits ${which}` });
        }
        if (typeof cidr === 'string') {
          cidrs.push(cidr);
          const families = familiesCovered([cidr]);
          if (families.length > 0) {
            out.push({ path: `${path}.ipBlock`, reason: 'ingress from anywhere', detail: `peer ${j} of ingress rule ${i} admits every ${families.map(familyName).join(' and ')} address (${cidr}); an except list does not narrow the internet to a source` });
            families.forEach((f) => reported.add(f));
          }
        }
      });
      allCidrs.push(...cidrs);
      // Ranges that only together cover a family, e.g. 0.0.0.0/1 and 128.0.0.0/1.
      const together = familiesCovered(cidrs).filter((f) => !reported.has(f));
      if (together.length > 0) {
        out.push({ path: `spec.ingress[${i}].from`, reason: 'ingress from anywhere', detail: `the ipBlocks of ingress rule ${i} together admit every ${together.map(familyName).join(' and ')} address` });
        together.forEach((f) => reported.add(f));
      }
    });
    // Rules add up too: ranges split across rules still admit everything.
    const across = familiesCovered(allCidrs).filter((f) => !reported.has(f));
    if (across.length > 0) out.push({ path: 'spec.ingress', reason: 'ingress from anywhere', detail: `the ipBlocks of the ingress rules together admit every ${across.map(familyName).join(' and ')} address` });
    return out;
  },
};
