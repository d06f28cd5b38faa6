import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, type TrustedProxies } from '../config/trusted-proxies.js';
import { clientAddress, rateLimitKey } from './client-address.js';

const trust = (v: string): TrustedProxies => {
  const p = parseTrustedProxies(v);
  if (!('ranges' in p)) throw new Error(p.bad.join());
  return p.ranges;
};

describe('client address and rate-limit key', () => {
  it.each([
    ['no trusted proxy: the header is ignored', '127.0.0.1', '203.0.113.5', '', '127.0.0.1'],
    ['a trusted peer: the last hop it names', '127.0.0.1', '10.0.0.1, 203.0.113.5', '127.0.0.1', '203.0.113.5'],
    ['two trusted proxies in a row', '10.0.0.2', '203.0.113.5, 10.0.0.3', '10.0.0.0/8', '203.0.113.5'],
    ['an untrusted peer: its own address', '198.51.100.1', '203.0.113.5', '127.0.0.1', '198.51.100.1'],
    ['IPv4-mapped peer', '::ffff:127.0.0.1', '203.0.113.9', '127.0.0.1', '203.0.113.9'],
    ['garbage in the header: the last trusted hop', '127.0.0.1', 'not-an-ip', '127.0.0.1', '127.0.0.1'],
  ])('%s', (_name, peer, xff, proxies, expected) => {
    expect(clientAddress(peer, xff, proxies ? trust(proxies) : [])?.toString()).toBe(expected);
  });

  it('keys IPv6 by /56 and IPv4 by address', () => {
    const key = (a: string) => rateLimitKey(clientAddress(a, undefined, []));
    expect(key('2001:db8:1:1ab:1::1')).toBe(key('2001:db8:1:100::ffff'));
    expect(key('2001:db8:1:1ab::1')).not.toBe(key('2001:db8:1:2ab::1'));
    expect(key('2001:db8:1:100::1')).toBe('2001:db8:1:100::/56');
    expect(key('203.0.113.5')).toBe('203.0.113.5');
  });

  it('names the entries of HANDOFF_TRUST_PROXY that are not addresses or ranges', () => {
    expect(parseTrustedProxies('10.0.0.0/8 proxy 1.2.3.4/99')).toEqual({ bad: ['proxy', '1.2.3.4/99'] });
  });
});
