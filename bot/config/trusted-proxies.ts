import ipaddr from 'ipaddr.js';

export type Addr = ipaddr.IPv4 | ipaddr.IPv6;
export type TrustedProxies = ReadonlyArray<[Addr, number]>;

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`, how a dual-stack socket reports IPv4 peers) as plain IPv4. */
export function parseAddress(text: string): Addr | null {
  const t = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(t)) return null;
  const a = ipaddr.parse(t);
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/**
 * `HANDOFF_TRUST_PROXY`: addresses or CIDR ranges of the reverse proxies in front of the bot,
 * separated by commas or spaces. Returns the bad entries when there are any.
 */
export function parseTrustedProxies(value: string | undefined): { ranges: TrustedProxies } | { bad: string[] } {
  const ranges: Array<[Addr, number]> = [];
  const bad: string[] = [];
  for (const entry of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      if (entry.includes('/')) {
        ranges.push(ipaddr.parseCIDR(entry));
      } else {
        const a = parseAddress(entry);
        if (!a) throw new Error('not an address');
        ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      }
    } catch {
      bad.push(entry);
    }
  }
  return bad.length > 0 ? { bad } : { ranges };
}
