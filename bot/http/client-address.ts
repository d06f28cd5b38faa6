import ipaddr from 'ipaddr.js';
import { parseAddress, type Addr, type TrustedProxies } from '../config/trusted-proxies.js';

function trusted(a: Addr, proxies: TrustedProxies): boolean {
  return proxies.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy, in which case
 * `X-Forwarded-For` is read from the right (each proxy appends the address it saw) and the first
 * address that is not a trusted proxy is the client. Without trusted proxies the header is ignored:
 * anyone can send it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, proxies: TrustedProxies): Addr | null {
  let current = parseAddress(peer ?? '');
  if (!current || proxies.length === 0 || forwardedFor === undefined) return current;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').reverse();
  for (const hop of hops) {
    if (!trusted(current, proxies)) return current;
    const next = parseAddress(hop);
    if (!next) return current;
    current = next;
  }
  return current;
}

/**
 * The rate-limit key of an address: IPv4 as is, IPv6 by its /56 (what one customer line is usually
 * given, so rotating through a delegated prefix does not escape the limit).
 */
export function rateLimitKey(a: Addr | null): string {
  if (!a) return 'unknown';
  if (a.kind() === 'ipv4') return a.toString();
  const bytes = a.toByteArray().slice(0, 7);
  return `${ipaddr.fromByteArray([...bytes, ...new Array<number>(9).fill(0)]).toString()}/56`;
}
