import { describe, expect, it } from 'vitest';
import { classifyAddress, type SsrfReason } from './address-policy.js';
import { decideResolved } from './resolve-target.js';

const cases: Array<[string, SsrfReason | null]> = [
  ['8.8.8.8', null],
  ['93.184.216.34', null],
  ['2606:4700:4700::1111', null],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.1', null],
  ['192.168.1.1', 'private'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fec0::1', 'private'],
  ['169.254.1.1', 'link_local'],
  ['fe80::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['100.128.0.1', null],
  ['169.254.169.254', 'metadata'],
  ['fd00:ec2::254', 'metadata'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.1', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['2001:db8::1', 'reserved'],
  ['100::1', 'reserved'],
  // IPv4-mapped and translated IPv6 forms are judged by the IPv4 address inside.
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  // ::/96, IPv4-compatible (deprecated): judged by the embedded address, never public.
  ['::7f00:1', 'loopback'],
  ['::127.0.0.1', 'loopback'],
  ['::a00:1', 'private'],
  ['::808:808', 'reserved'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:8.8.8.8', null],
  ['::ffff:0:7f00:1', 'loopback'],
  ['2002:7f00:1::', 'loopback'],
  ['2002:a00:1::1', 'private'],
  ['2002:a9fe:a9fe::', 'metadata'],
  ['2002:808:808::1', null],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b::808:808', null],
  ['64:ff9b:1::1', 'reserved'],
  // Teredo: client 127.0.0.1 inverted is 80ff:fffe.
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'reserved'],
  ['not-an-address', 'invalid_url'],
];

describe('classifyAddress', () => {
  it.each(cases)('%s -> %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('decideResolved', () => {
  it('refuses the whole answer when any one address is private, even after a public one', () => {
    expect(decideResolved(['8.8.8.8', '10.0.0.5'], false)).toEqual({ ok: false, reason: 'private' });
  });
  it('pins the first address when every address is public', () => {
    expect(decideResolved(['8.8.4.4', '2606:4700:4700::1111'], false)).toEqual({ ok: true, address: '8.8.4.4' });
  });
  it('lets a listed host resolve to loopback', () => {
    expect(decideResolved(['127.0.0.1'], true)).toEqual({ ok: true, address: '127.0.0.1' });
  });
  it('refuses cloud metadata even for a listed host', () => {
    expect(decideResolved(['169.254.169.254'], true)).toEqual({ ok: false, reason: 'metadata' });
  });
  it('treats an empty or garbled answer as a DNS failure', () => {
    expect(decideResolved([], false)).toEqual({ ok: false, reason: 'dns_failed' });
    expect(decideResolved(['bogus'], true)).toEqual({ ok: false, reason: 'dns_failed' });
  });
});
