import { cidrCovers, METADATA_RANGES, metadataInside, parseCidr } from '../../cidr';
import { Rule, Violation } from '../../types';
import { isNetworkPolicy } from './network-policy-apis';

export const METADATA_CIDR = METADATA_RANGES[0];

export const noMetadataEgress: Rule = {
  id: 'network/no-metadata-egress',
  title: 'Egress rules must never reach the cloud metadata endpoint',
  severity: 'high',
  waivable: false,
  rationale: 'The instance metadata service (169.254.169.254, and its other addresses: IPv6, IPv4-mapped IPv6, other clouds) hands out the node\'s cloud credentials; a pod that reaches it can act as the node in the cloud account.',
  remediation: `Give every egress rule a destination, write every ipBlock.cidr as an IPv4 or IPv6 CIDR (address/prefix), and add to ipBlock.except every metadata range its cidr contains, in the cidr's own notation (${METADATA_RANGES.join(', ')}).`,
  manifestRemediation: 'Give every spec.egress[] rule a to: list, write every ipBlock.cidr as address/prefix, and add to ipBlock.except every metadata range its cidr contains, in the cidr\'s own notation (e.g. cidr: 0.0.0.0/0 with except: [169.254.169.254/32, 100.100.100.200/32, 192.0.0.192/32, 168.63.129.16/32, 169.254.0.23/32]).',
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation' },
    { source: 'CIS', id: '5.3.2' },
  ],
  check(object): Violation[] {
    if (!isNetworkPolicy(object)) return [];
    const egress: any[] = Array.isArray(object.spec?.egress) ? object.spec.egress : [];
    return egress.flatMap((rule, i) => {
      const to: any[] = Array.isArray(rule?.to) ? rule.to : [];
      // No destination means every destination, the metadata endpoint included.
      if (to.length === 0) return [{ path: `spec.egress[${i}]`, reason: 'metadata endpoint reachable', detail: `egress rule ${i} has no "to", so it allows every destination including ${METADATA_RANGES.join(', ')}` }];
      return to.flatMap((peer: any, j: number) => {
        if (peer?.ipBlock === undefined || peer?.ipBlock === null) return [];
        const cidr = peer.ipBlock.cidr;
        // Fail closed: a range Bulwark cannot read may be one a CNI reads as containing the endpoint.
        if (typeof cidr !== 'string' || !parseCidr(cidr)) {
          return [{ path: `spec.egress[${i}].to[${j}].ipBlock`, reason: 'metadata endpoint reachable', detail: `egress to ipBlock.cidr ${JSON.stringify(cidr)}, which is not a CIDR Bulwark can read, may include ${METADATA_RANGES.join(', ')}` }];
        }
        const except: string[] = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except.filter((e: unknown) => typeof e === 'string') : [];
        const open = metadataInside(cidr).filter((m) => !except.some((e) => cidrCovers(e, m)));
        return open.length === 0 ? [] : [{ path: `spec.egress[${i}].to[${j}].ipBlock`, reason: 'metadata endpoint reachable', detail: `egress to ${cidr} does not except ${open.join(', ')}` }];
      });
    });
  },
};
