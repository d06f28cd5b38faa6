import { isIP } from 'node:net';

/** Lower-case, no IPv6 brackets, no trailing root dot: the one form hosts are compared in. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

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
