/**
 * CIDR parsing and containment for IPv4 and IPv6, shared by rules and constructs.
 *
 * Containment follows the semantics the Kubernetes API server applies to NetworkPolicy ipBlocks
 * (Go's net package, which the Go-based CNIs share): an IPv6 CIDR inside the IPv4-mapped space
 * ::ffff:0:0/96 (prefix 96 or longer) is an IPv4 range in another spelling, so ::ffff:0:0/96 is
 * 0.0.0.0/0 and ::ffff:a9fe:a9fe/128 is 169.254.169.254/32. Any other IPv6 CIDR, ::/0 included,
 * is IPv6 only: it never matches an IPv4 packet, and the API server refuses an IPv4-mapped
 * address in its `except` ("must be a strict subset of `cidr`").
 */

export interface Cidr {
  readonly family: 4 | 6;
  /** The address as a bit string (32 or 128 characters). */
  readonly bits: string;
  readonly prefix: number;
}

/** Where clouds serve instance metadata (node credentials), IPv4. */
const METADATA_V4: readonly string[] = [
  // AWS, Google Cloud, Azure, Oracle Cloud Infrastructure, OpenStack and most others.
  '169.254.169.254/32',
  // Alibaba Cloud ECS.
  '100.100.100.200/32',
  // Oracle Cloud@Customer (and Oracle Cloud Infrastructure Classic).
  '192.0.0.192/32',
  // Azure WireServer (node bootstrap and extension settings; the 2024 "WireServing" AKS attack).
  '168.63.129.16/32',
  // Tencent Cloud.
  '169.254.0.23/32',
];

/** Native IPv6 metadata addresses. */
const METADATA_V6: readonly string[] = [
  // AWS (Nitro instances with the IPv6 IMDS endpoint enabled).
  'fd00:ec2::254/128',
  // Google Cloud (GCE_METADATA_HOST [fd20:ce::254] on IPv6-only instances).
  'fd20:ce::254/128',
  // OpenStack Neutron metadata over IPv6 (the link-local equivalent of 169.254.169.254).
  'fe80::a9fe:a9fe/128',
];

/** The IPv4-mapped IPv6 spelling of an IPv4 CIDR, e.g. ::ffff:169.254.169.254/128. */
function mappedSpelling(v4cidr: string): string {
  const [addr, prefix] = v4cidr.split('/');
  return `::ffff:${addr}/${Number(prefix) + 96}`;
}

/**
 * Every spelling of a cloud metadata endpoint an ipBlock can name: IPv4, native IPv6, and the
 * IPv4-mapped IPv6 form of each IPv4 address (which the API server and Go-based CNIs read as
 * the IPv4 address). An egress ipBlock must except each one its cidr contains.
 */
export const METADATA_RANGES: readonly string[] = [...METADATA_V4, ...METADATA_V6, ...METADATA_V4.map(mappedSpelling)];

/** The first 96 bits of every IPv4-mapped IPv6 address (::ffff:0:0/96). */
const MAPPED_PREFIX_BITS = '0'.repeat(80) + '1'.repeat(16);

function v4(addr: string): string | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.map((p) => Number(p).toString(2).padStart(8, '0')).join('');
}

/** Groups of 16 bits; a trailing dotted quad (::ffff:169.254.169.254) counts as two groups. */
function v6(addr: string): string | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || (addr.match(/::/g) ?? []).length > 1) return undefined;
  let text = addr;
  let tail = '';
  const lastColon = addr.lastIndexOf(':');
  if (addr.slice(lastColon + 1).includes('.')) {
    const quad = v4(addr.slice(lastColon + 1));
    if (!quad) return undefined;
    tail = quad;
    // Replace the quad by two placeholder groups so the group count below stays uniform.
    text = `${addr.slice(0, lastColon + 1)}0:0`;
  }
  if (text.includes('.')) return undefined;
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (rest === undefined ? h.length !== 8 : missing < 1) return undefined;
  const groups = rest === undefined ? h : [...h, ...Array(missing).fill('0'), ...t];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bits = groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
  return tail ? bits.slice(0, 96) + tail : bits;
}

/** Parses "a.b.c.d/n" or an IPv6 "x::y/n" (dotted-quad tail allowed); undefined when malformed. */
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

/**
 * The range as the API server and Go-based CNIs read it: an IPv6 CIDR inside ::ffff:0:0/96 is
 * the IPv4 CIDR it maps; anything else is itself.
 */
export function effectiveCidr(c: Cidr): Cidr {
  if (c.family === 6 && c.prefix >= 96 && c.bits.startsWith(MAPPED_PREFIX_BITS)) {
    return { family: 4, bits: c.bits.slice(96), prefix: c.prefix - 96 };
  }
  return c;
}

function covers(o: Cidr, i: Cidr): boolean {
  return o.family === i.family && i.prefix >= o.prefix && o.bits.slice(0, o.prefix) === i.bits.slice(0, o.prefix);
}

/**
 * True when every address of `inner` is inside `outer`, as the API server reads both (an
 * IPv4-mapped IPv6 range and its IPv4 spelling are the same range).
 */
export function cidrCovers(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return !!o && !!i && covers(effectiveCidr(o), effectiveCidr(i));
}

/**
 * The metadata ranges a CIDR contains, in the spelling its ipBlock.except must use (the API
 * server only accepts except entries written in the cidr's own notation).
 */
export function metadataInside(cidr: string): string[] {
  const c = parseCidr(cidr);
  if (!c) return [];
  return METADATA_RANGES.filter((m) => {
    const r = parseCidr(m)!;
    return r.family === c.family && covers(effectiveCidr(c), effectiveCidr(r));
  });
}

/**
 * True when `cidrs` together cover every address of IPv4 or of IPv6 (as the API server reads
 * them: ::ffff:0:0/96 covers every IPv4 address). Returns the families covered.
 */
export function familiesCovered(cidrs: readonly string[]): Array<4 | 6> {
  const out: Array<4 | 6> = [];
  for (const family of [4, 6] as const) {
    const prefixes = cidrs.map(parseCidr).filter((c): c is Cidr => !!c).map(effectiveCidr)
      .filter((c) => c.family === family).map((c) => c.bits.slice(0, c.prefix));
    if (prefixesCoverAll(prefixes)) out.push(family);
  }
  return out;
}

interface TrieNode { full: boolean; children: [TrieNode | undefined, TrieNode | undefined] }

/** A binary trie of the prefixes: the space is covered when every path ends in a full node. Linear in the input. */
function prefixesCoverAll(prefixes: readonly string[]): boolean {
  const root: TrieNode = { full: false, children: [undefined, undefined] };
  for (const p of prefixes) {
    let node = root;
    for (const bit of p) {
      if (node.full) break;
      const b = bit === '1' ? 1 : 0;
      node = node.children[b] ??= { full: false, children: [undefined, undefined] };
    }
    node.full = true;
  }
  const full = (n: TrieNode | undefined): boolean => !!n && (n.full || (full(n.children[0]) && full(n.children[1])));
  return full(root);
}
