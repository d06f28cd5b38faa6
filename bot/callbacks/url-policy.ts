import {
  classifyAddress,
  isIpLiteral,
  isLocalhostName,
  isMetadataHostname,
  normalizeHost,
  type SsrfReason,
} from './address-policy.js';

/**
 * What the URL alone says about a callback target (no DNS). `needsDns` is true when the host is a
 * name that must still be resolved and checked at send time.
 */
export type UrlCheck =
  | { ok: true; url: URL; host: string; listed: boolean; literal: boolean; needsDns: boolean }
  | { ok: false; reason: SsrfReason; host: string | null };

export function isListedHost(host: string, callbackHosts: readonly string[]): boolean {
  const h = normalizeHost(host);
  return callbackHosts.some((listed) => normalizeHost(listed) === h);
}

/**
 * The intake-time check: scheme, credentials, literal addresses, well-known names and the
 * workflow's `callback_hosts`. A listed host is allowed wherever it points (that is how the
 * sandbox and tests reach loopback receivers), except cloud metadata, which no receiver is.
 * A non-empty list is an allow-list: anything else is `host_not_allowed`.
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

  if (isListedHost(host, callbackHosts)) return { ok: true, url, host, listed: true, literal, needsDns: !literal };
  if (callbackHosts.length > 0) return { ok: false, reason: 'host_not_allowed', host };

  if (literalReason !== null) return { ok: false, reason: literalReason, host };
  if (isLocalhostName(host)) return { ok: false, reason: 'loopback', host };
  return { ok: true, url, host, listed: false, literal, needsDns: !literal };
}
