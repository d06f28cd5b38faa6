import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeyOf } from '../../bot/intake/idempotency-key.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('a webhook-id longer than 255 characters', () => {
  it('replays on retry instead of failing: it is stored and looked up under the same (hashed) key', async () => {
    const id = `msg_${'x'.repeat(400)}`;
    const body = sampleHandoff();
    const first = await postHandoff(h.bot.url, body, { id });
    expect(first.status).toBe(202);
    const retry = await postHandoff(h.bot.url, body, { id });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    const other = await postHandoff(h.bot.url, sampleHandoff({ call_status: 'on_hold' }), { id });
    expect(other.status).toBe(422);
    expect(other.json.error).toBe('idempotency_key_reused');
  });

  it('keeps keys up to 255 characters as they are, and the body key wins over the header', () => {
    expect(idempotencyKeyOf(undefined, 'msg_1')).toBe('msg_1');
    expect(idempotencyKeyOf('order-7', 'msg_1')).toBe('order-7');
    expect(idempotencyKeyOf(undefined, 'k'.repeat(255))).toBe('k'.repeat(255));
    expect(idempotencyKeyOf(undefined, 'k'.repeat(256))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(idempotencyKeyOf('', undefined)).toBeNull();
  });
});
