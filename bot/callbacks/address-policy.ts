import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { normalizeHost } from '../config/host-entry.js';

/**
 * Why a callback target is refused. Stable codes: they end up in `outbox.last_error`
 * and metrics, so renaming one is a breaking change.
 */
export type SsrfReason =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'host_not_allowed'
  | 'no_callback_hosts'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'metadata'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'dns_failed';

/** Cloud metadata endpoints: refused even for listed hosts, since no status receiver lives there. */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'].map((a) => ipaddr.parse(a).toNormalizedString());
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

export function isMetadataHostname(host: string): boolean {
  return METADATA_HOSTNAMES.has(normalizeHost(host));
}

/** Strict literal check: WHATWG URL parsing already turned `0x7f.1` or `2130706433` into dotted quads. */
export function isIpLiteral(host: string): boolean {
  return isIP(normalizeHost(host)) !== 0;
}

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function classifyV4(addr: ipaddr.IPv4): SsrfReason | null {
  if (METADATA_ADDRESSES.includes(addr.toNormalizedString())) return 'metadata';
  const range: string = addr.range();
  switch (range) {
    case 'unicast':
      return null;
    case 'loopback':
      return 'loopback';
    case 'private':
      return 'private';
    case 'linkLocal':
      return 'link_local';
    case 'carrierGradeNat':
      return 'cgnat';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    case 'broadcast':
      return 'broadcast';
    default:
      // reserved, as112, amt and any range a newer ipaddr.js adds: only plain unicast passes.
      return 'reserved';
  }
}

function classifyV6(addr: ipaddr.IPv6): SsrfReason | null {
  if (METADATA_ADDRESSES.includes(addr.toNormalizedString())) return 'metadata';
  const p = addr.parts;
  const range: string = addr.range();
  switch (range) {
    case 'unicast':
      // ::/96, the deprecated IPv4-compatible form (`::7f00:1` = ::127.0.0.1): some stacks still route
      // it to the embedded IPv4 address, so it is judged by that and never counts as public.
      if (p.slice(0, 6).every((x) => x === 0)) return classifyV4(v4FromParts(p[6] ?? 0, p[7] ?? 0)) ?? 'reserved';
      return null;
    case 'loopback':
      return 'loopback';
    case 'uniqueLocal':
    case 'deprecatedSiteLocal':
      return 'private';
    case 'linkLocal':
      return 'link_local';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    case 'ipv4Mapped':
    case 'rfc6145':
      return classifyV4(v4FromParts(p[6] ?? 0, p[7] ?? 0));
    case '6to4':
      // 2002:AABB:CCDD::/48 routes to IPv4 AA.BB.CC.DD: judge the embedded address.
      return classifyV4(v4FromParts(p[1] ?? 0, p[2] ?? 0));
    case 'rfc6052': {
      // Well-known NAT64 prefix 64:ff9b::/96 embeds the IPv4 target in the last 32 bits; the
      // local-use 64:ff9b:1::/48 prefix is operator-defined, so nothing behind it can be judged.
      const wellKnown = p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0);
      return wellKnown ? classifyV4(v4FromParts(p[6] ?? 0, p[7] ?? 0)) : 'reserved';
    }
    case 'teredo': {
      // Teredo carries the client's IPv4 inverted in the last 32 bits. A tunnel endpoint is never a
      // legitimate receiver, so it is refused either way; the embedded address only names the reason.
      const client = classifyV4(v4FromParts((p[6] ?? 0) ^ 0xffff, (p[7] ?? 0) ^ 0xffff));
      return client ?? 'reserved';
    }
    default:
      return 'reserved';
  }
}

/**
 * Classifies one address (as a resolver or a URL gives it). Returns null when the address is
 * public unicast, else why it is refused. Works on the parsed address, never on string shapes,
 * so `::ffff:7f00:1`, `0:0:0:0:0:ffff:127.0.0.1` and `127.0.0.1` all land on `loopback`.
 */
export function classifyAddress(address: string): SsrfReason | null {
  const text = normalizeHost(address);
  let parsed: Parsed;
  try {
    parsed = ipaddr.process(text);
  } catch {
    return 'invalid_url';
  }
  return parsed.kind() === 'ipv4' ? classifyV4(parsed as ipaddr.IPv4) : classifyV6(parsed as ipaddr.IPv6);
}

/** The socket family of a valid address literal. */
export function addressFamily(address: string): 4 | 6 {
  return ipaddr.parse(normalizeHost(address)).kind() === 'ipv4' ? 4 : 6;
}
