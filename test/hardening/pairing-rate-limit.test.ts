import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustedProxies, type TrustedProxies } from '../../bot/config/trusted-proxies.js';
import { startHarness, type Harness } from '../support/harness.js';
import { pairingCodeFor } from '../support/desktop-api.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function proxies(value: string): TrustedProxies {
  const parsed = parseTrustedProxies(value);
  if (!('ranges' in parsed)) throw new Error('bad test proxies');
  return parsed.ranges;
}

async function start(trust: string | null, failureLimit = { capacity: 1000, refillMs: 60_000 }): Promise<Harness> {
  h = await startHarness({
    settings: trust === null ? {} : { trustedProxies: proxies(trust) },
    desktopApi: { pairRateLimit: { capacity: 3, refillMs: 60_000 }, pairFailureLimit: failureLimit },
  });
  return h;
}

async function pairFrom(bot: Harness, forwardedFor: string | null, code = 'ABCD-EFGH'): Promise<number> {
  const res = await fetch(`${bot.bot.url}/v1/desktop/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor }) },
    body: JSON.stringify({ code }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('pairing rate limit behind a reverse proxy', () => {
  it('limits each client named by a trusted proxy, not the proxy: one client\'s wrong codes do not block another', async () => {
    const bot = await start('127.0.0.1');
    for (let i = 0; i < 3; i++) expect(await pairFrom(bot, '203.0.113.5')).toBe(401);
    expect(await pairFrom(bot, '203.0.113.5')).toBe(429);
    expect(await pairFrom(bot, '203.0.113.6')).toBe(401);
    // A right code from another client behind the same proxy still pairs.
    expect(await pairFrom(bot, '198.51.100.7', await pairingCodeFor(bot, 'U0ALICE01'))).toBe(200);
  });

  it('reads X-Forwarded-For from the right: an address the client put in front does not escape its limit', async () => {
    const bot = await start('127.0.0.1');
    for (let i = 0; i < 3; i++) expect(await pairFrom(bot, `10.9.9.${i}, 203.0.113.5`)).toBe(401);
    expect(await pairFrom(bot, '10.9.9.200, 203.0.113.5')).toBe(429);
  });

  it('ignores X-Forwarded-For unless HANDOFF_TRUST_PROXY names the peer: spoofed addresses share the socket\'s limit', async () => {
    const bot = await start(null);
    for (let i = 0; i < 3; i++) expect(await pairFrom(bot, `203.0.113.${i}`)).toBe(401);
    expect(await pairFrom(bot, '203.0.113.99')).toBe(429);
  });

  it('keys IPv6 clients by /56: rotating addresses inside one prefix share a limit, another prefix does not', async () => {
    const bot = await start('127.0.0.1');
    for (const a of ['2001:db8:1:100::1', '2001:db8:1:1a0::2', '2001:db8:1:1ff:ffff::3']) expect(await pairFrom(bot, a)).toBe(401);
    expect(await pairFrom(bot, '2001:db8:1:142::99')).toBe(429);
    expect(await pairFrom(bot, '2001:db8:1:200::1')).toBe(401);
  });

  it('stops all pairing for a while once too many wrong codes came in from everyone together, rotating addresses included', async () => {
    const bot = await start('127.0.0.1', { capacity: 5, refillMs: 10 * 60_000 });
    for (let i = 0; i < 5; i++) expect(await pairFrom(bot, `203.0.113.${i}`)).toBe(401);
    const refused = await fetch(`${bot.bot.url}/v1/desktop/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
      body: JSON.stringify({ code: 'ABCD-EFGH' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
