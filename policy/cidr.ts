/** CIDR parsing and containment for IPv4 and IPv6, shared by rules and constructs. */

export interface Cidr {
  readonly family: 4 | 6;
  /** The address as a bit string (32 or 128 characters). */
  readonly bits: string;
  readonly prefix: number;
}

/** Where cloud providers serve instance metadata, per family. */
export const METADATA_RANGES: readonly string[] = ['169.254.169.254/32', 'fd00:ec2::254/128'];

function v4(addr: string): string | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('');
}

function v6(addr: string): string | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(addr) || (addr.match(/::/g) ?? []).length > 1) return undefined;
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 1) return undefined;
  const groups = tail === undefined ? h : [...h, ...Array(missing).fill('0'), ...t];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

/** Parses "a.b.c.d/n" or an IPv6 "x::y/n"; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefixText, extra] = String(text).split('/');
  if (extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const b4 = v4(addr);
  if (b4) return prefix <= 32 ? { family: 4, bits: b4, prefix } : undefined;
  const b6 = v6(addr);
  if (b6) return prefix <= 128 ? { family: 6, bits: b6, prefix } : undefined;
  return undefined;
}

/** True when every address of `inner` is inside `outer` (same family). */
export function cidrCovers(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o.family !== i.family || i.prefix < o.prefix) return false;
  return o.bits.slice(0, o.prefix) === i.bits.slice(0, o.prefix);
}

/** The metadata ranges a CIDR contains, which its ipBlock must except. */
export function metadataInside(cidr: string): string[] {
  return METADATA_RANGES.filter((m) => cidrCovers(cidr, m));
}
