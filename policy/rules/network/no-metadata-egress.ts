import { Rule, Violation } from '../../types';

export const METADATA_CIDR = '169.254.169.254/32';

function ipToInt(ip: string): number | undefined {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

/** True when the IPv4 CIDR contains the address. IPv6 CIDRs never contain an IPv4 address. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const b = ipToInt(base);
  const a = ipToInt(ip);
  if (b === undefined || a === undefined || !(bits >= 0 && bits <= 32)) return false;
  if (bits === 0) return true;
  const mask = (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

export const noMetadataEgress: Rule = {
  id: 'network/no-metadata-egress',
  title: 'Egress rules must never reach the cloud metadata endpoint',
  severity: 'high',
  waivable: false,
  rationale: 'The instance metadata service (169.254.169.254) hands out the node\'s cloud credentials; a pod that reaches it can act as the node in the cloud account.',
  remediation: `Add ${METADATA_CIDR} to ipBlock.except of every egress ipBlock whose cidr contains it.`,
  references: [
    { source: 'NSA/CISA', id: 'Kubernetes Hardening Guide: network separation' },
    { source: 'CIS', id: '5.3.2' },
  ],
  check(object): Violation[] {
    if (object.kind !== 'NetworkPolicy') return [];
    const egress: any[] = Array.isArray(object.spec?.egress) ? object.spec.egress : [];
    return egress.flatMap((rule, i) => (Array.isArray(rule?.to) ? rule.to : []).flatMap((peer: any, j: number) => {
      const cidr = peer?.ipBlock?.cidr;
      if (typeof cidr !== 'string' || !cidrContains(cidr, '169.254.169.254')) return [];
      const except: string[] = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [];
      if (except.some((e) => cidrContains(e, '169.254.169.254'))) return [];
      return [{ path: `spec.egress[${i}].to[${j}].ipBlock`, reason: 'metadata endpoint reachable', detail: `egress to ${cidr} does not except ${METADATA_CIDR}` }];
    }));
  },
};
