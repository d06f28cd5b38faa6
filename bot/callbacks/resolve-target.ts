import { promises as dnsPromises } from 'node:dns';
import { normalizeHost } from '../config/host-entry.js';
import { addressFamily, classifyAddress, type SsrfReason } from './address-policy.js';
import { checkCallbackUrl } from './url-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Answers every address of a name, like `dns.promises.lookup(host, {all: true})`. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const defaultResolver: Resolver = (hostname) => dnsPromises.lookup(hostname, { all: true, verbatim: true });

/** Where a checked callback connects: `address` is the one and only address the socket may use. */
export interface PinnedTarget {
  url: URL;
  host: string;
  address: string;
  family: 4 | 6;
  listed: boolean;
  /** The URL's host is itself an address (no DNS was involved). */
  literal: boolean;
}

export type TargetDecision = { ok: true; target: PinnedTarget } | { ok: false; reason: SsrfReason; host: string | null };

/**
 * Pure: judges every address a name resolved to. One bad address refuses the lot, since we
 * cannot know which one a retry would get; the first address is the one the socket is pinned to.
 * Listed hosts may point anywhere except cloud metadata.
 */
export function decideResolved(addresses: readonly string[], listed: boolean): { ok: true; address: string } | { ok: false; reason: SsrfReason } {
  const first = addresses[0];
  if (first === undefined) return { ok: false, reason: 'dns_failed' };
  for (const address of addresses) {
    const reason = classifyAddress(address);
    if (reason === 'invalid_url') return { ok: false, reason: 'dns_failed' };
    if (reason === 'metadata' || (!listed && reason !== null)) return { ok: false, reason };
  }
  return { ok: true, address: normalizeHost(first) };
}

/** Runs the URL policy, then resolves a name exactly once and judges what came back. */
export async function resolveCallbackTarget(
  rawUrl: string,
  callbackHosts: readonly string[],
  resolve: Resolver = defaultResolver,
): Promise<TargetDecision> {
  const check = checkCallbackUrl(rawUrl, callbackHosts);
  if (!check.ok) return check;
  const { url, host, listed } = check;
  if (!check.needsDns) {
    return { ok: true, target: { url, host, address: host, family: addressFamily(host), listed, literal: true } };
  }
  let answers: readonly ResolvedAddress[];
  try {
    answers = await resolve(host);
  } catch {
    return { ok: false, reason: 'dns_failed', host };
  }
  const decision = decideResolved(
    answers.map((a) => a.address),
    listed,
  );
  if (!decision.ok) return { ok: false, reason: decision.reason, host };
  return { ok: true, target: { url, host, address: decision.address, family: addressFamily(decision.address), listed, literal: false } };
}
