import { normalizeHost, parseHostEntry } from '../config/host-entry.js';
import { classifyAddress, isIpLiteral, isMetadataHostname, type SsrfReason } from './address-policy.js';

/**
 * What the URL alone says about a callback target (no DNS). `needsDns` is true when the host is a
 * name that must still be resolved and checked at send time.
 */
export type UrlCheck =
  | { ok: true; url: URL; host: string; listed: boolean; literal: boolean; needsDns: boolean }
  | { ok: false; reason: SsrfReason; host: string | null };

/** True when an entry names this host and either no port or this port. */
export function isListedHost(host: string, port: number, callbackHosts: readonly string[]): boolean {
  const h = normalizeHost(host);
  return callbackHosts.some((listed) => {
    const entry = parseHostEntry(listed);
    return entry !== null && entry.host === h && (entry.port === null || entry.port === port);
  });
}

/**
 * The intake-time check: scheme, credentials, cloud metadata and the workflow's `callback_hosts`,
 * which is an allow-list: empty means no callbacks at all (`no_callback_hosts`), and a host or port
 * it does not list is `host_not_allowed`. A listed host is allowed wherever it points (that is how
 * the sandbox and tests reach loopback receivers), except cloud metadata, which no receiver is.
 */
export function checkCallbackUrl(rawUrl: string, callbackHosts: readonly string[]): UrlCheck {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'invalid_url', host: null };
  }
  const host = normalizeHost(url.hostname);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme_not_allowed', host };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials_in_url', host };
  if (host === '') return { ok: false, reason: 'invalid_url', host: null };

  const literal = isIpLiteral(host);
  const literalReason = literal ? classifyAddress(host) : null;
  if (isMetadataHostname(host) || literalReason === 'metadata') return { ok: false, reason: 'metadata', host };

  if (callbackHosts.length === 0) return { ok: false, reason: 'no_callback_hosts', host };
  if (isListedHost(host, effectivePort(url), callbackHosts)) return { ok: true, url, host, listed: true, literal, needsDns: !literal };
  return { ok: false, reason: 'host_not_allowed', host };
}

/** The port a URL connects to: its own, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
