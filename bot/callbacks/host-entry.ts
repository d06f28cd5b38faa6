import { isIP } from 'node:net';
import { normalizeHost } from './address-policy.js';

/** One `callback_hosts` entry: a host name or address, optionally with a port (null: any port). */
export interface HostEntry {
  host: string;
  port: number | null;
}

/**
 * Parses `hooks.example.com`, `hooks.example.com:8443`, `203.0.113.7:8443`, `2001:db8::1` and
 * `[2001:db8::1]:8443`; null when the port is not 1-65535 or the shape is none of those.
 */
export function parseHostEntry(entry: string): HostEntry | null {
  const text = entry.trim();
  let host = text;
  let port: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] ?? null;
    if (isIP(host) !== 6) return null;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [host, port] = text.split(':') as [string, string];
  } else if (text.includes(':') && isIP(text) !== 6) {
    return null;
  }
  if (host === '') return null;
  if (port === null) return { host: normalizeHost(host), port: null };
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return null;
  return { host: normalizeHost(host), port: Number(port) };
}

/** The port a URL connects to: its own, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
