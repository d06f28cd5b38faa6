import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff, TEST_SECRET, TEST_SECRET_2 } from '../support/webhooks.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('HANDOFF_ALLOW_UNSIGNED', () => {
  it('is off by default: an unsigned request is refused with 401 and nothing is stored', async () => {
    h = await startHarness();
    const res = await postHandoff(h.bot.url, sampleHandoff(), { unsigned: true });
    expect(res.status).toBe(401);
    expect(h.db.prepare('SELECT COUNT(*) FROM handoffs').pluck().get()).toBe(0);
  });

  it('with secrets, admits a request without a signature as unsigned but still refuses a wrong signature', async () => {
    h = await startHarness({ settings: { allowUnsigned: true } });
    const unsigned = await postHandoff(h.bot.url, sampleHandoff(), { unsigned: true });
    expect(unsigned.status).toBe(202);
    expect((await h.bot.store.handoffs.get(unsigned.json.handoff_id as string))!.signatureStatus).toBe('unsigned');
    const signed = await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET });
    expect((await h.bot.store.handoffs.get(signed.json.handoff_id as string))!.signatureStatus).toBe('verified');
    const forged = await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET_2 });
    expect(forged.status).toBe(401);
    expect(forged.json.error).toBe('invalid_signature');
  });

  it('without secrets, records every request as unsigned, whatever headers it carries', async () => {
    h = await startHarness({ settings: { allowUnsigned: true, webhookKeys: [] } });
    const res = await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET_2 });
    expect(res.status).toBe(202);
    expect((await h.bot.store.handoffs.get(res.json.handoff_id as string))!.signatureStatus).toBe('unsigned');
  });
});
