import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIRING_CODE_TTL_MS } from '../../bot/pairing/pairing.js';
import { startHarness, type Harness } from '../support/harness.js';
import { pair, pairingCodeFor } from '../support/desktop-api.js';

let h: Harness;
let now = Date.now();

beforeAll(async () => {
  h = await startHarness({ clock: () => now, startWorkers: false });
});
afterAll(async () => {
  await h.close();
});

describe('pairing limits (bot clock under test control)', () => {
  it('refuses a code after its 10 minutes with 401 invalid_pairing_code', async () => {
    const code = await pairingCodeFor(h, 'U0ALICE01');
    now += PAIRING_CODE_TTL_MS + 1;
    const res = await pair(h.bot.url, code);
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_pairing_code');

    const fresh = await pairingCodeFor(h, 'U0ALICE01');
    now += PAIRING_CODE_TTL_MS - 1_000;
    expect((await pair(h.bot.url, fresh)).status).toBe(200);
  });

  it('allows 10 pairing attempts a minute per client IP, then 429 rate_limited with Retry-After, even for a right code', async () => {
    now += 60_000; // a full bucket
    for (let i = 0; i < 10; i++) expect((await pair(h.bot.url, `WRNG-${String(i).padStart(4, 'A')}`)).status).toBe(401);
    const code = await pairingCodeFor(h, 'U0BOB0001');
    const limited = await pair(h.bot.url, code);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe('6');

    now += 5_000;
    expect((await pair(h.bot.url, code)).status).toBe(429);
    now += 1_000;
    const ok = await pair(h.bot.url, code);
    expect(ok.status).toBe(200);
    expect(ok.json.user_id).toBe('U0BOB0001');
    expect((await pair(h.bot.url, 'ABCD-EFGH')).status).toBe(429);
  });
});
