import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import {
  buildCallbackRequest,
  callbackPayloadSchema,
  callbackRetryDelayMs,
  callbackWebhookId,
  shouldGiveUp,
  type CallbackEvent,
} from './callback-request.js';
import { sendStatusCallback } from './send-callback.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const event: CallbackEvent = {
  type: 'handoff.claimed',
  occurredAt: Date.UTC(2025, 0, 2, 3, 4, 5),
  data: {
    handoff_id: 'ho_01',
    workflow_id: 'clinic-after-hours',
    status: 'claimed',
    severity: 'high',
    escalation_level: 0,
    actor: 'U123',
    caller_message: 'A person will call you back.',
  },
};

describe('buildCallbackRequest', () => {
  it('produces a Standard Webhooks payload (type, timestamp, data) that the schema accepts', () => {
    const { body, headers } = buildCallbackRequest({ secret: SECRET, webhookId: 'cb_7', nowMs: Date.now(), event });
    const parsed = callbackPayloadSchema.parse(JSON.parse(body));
    expect(parsed).toEqual({ type: 'handoff.claimed', timestamp: '2025-01-02T03:04:05.000Z', data: event.data });
    expect(headers['content-type']).toBe('application/json');
  });

  it('is verified by the independent standardwebhooks package', () => {
    const { body, headers } = buildCallbackRequest({ secret: SECRET, webhookId: 'cb_7', nowMs: Date.now(), event });
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails independent verification when the body is altered or the secret differs', () => {
    const { body, headers } = buildCallbackRequest({ secret: SECRET, webhookId: 'cb_7', nowMs: Date.now(), event });
    expect(() => new Webhook(SECRET).verify(body.replace('U123', 'U999'), headers)).toThrow();
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64')).verify(body, headers)).toThrow();
  });

  it('keeps the webhook-id and body across retries and refreshes only the timestamp', () => {
    const first = buildCallbackRequest({ secret: SECRET, webhookId: callbackWebhookId(42), nowMs: 1_700_000_000_000, event });
    const retry = buildCallbackRequest({ secret: SECRET, webhookId: callbackWebhookId(42), nowMs: 1_700_000_030_000, event });
    expect(first.headers['webhook-id']).toBe('cb_42');
    expect(retry.headers['webhook-id']).toBe('cb_42');
    expect(retry.body).toBe(first.body);
    expect([first.headers['webhook-timestamp'], retry.headers['webhook-timestamp']]).toEqual(['1700000000', '1700000030']);
    expect(retry.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
  });

  it('omits caller_message when the event has none and keeps a null actor', () => {
    const { caller_message: _omit, ...data } = event.data;
    const { body } = buildCallbackRequest({
      secret: SECRET,
      webhookId: 'cb_1',
      nowMs: Date.now(),
      event: { type: 'handoff.escalated', occurredAt: event.occurredAt, data: { ...data, actor: null, escalation_level: 1 } },
    });
    const parsed = JSON.parse(body) as { data: Record<string, unknown> };
    expect('caller_message' in parsed.data).toBe(false);
    expect(parsed.data['actor']).toBeNull();
  });
});

describe('callbackRetryDelayMs', () => {
  it.each([
    [1, 5_000],
    [2, 30_000],
    [3, 180_000],
    [4, 1_080_000],
    [5, 3_600_000],
    [30, 3_600_000],
  ])('after %i failed attempts waits up to %i ms (the shared backoff, at its longest)', (attempts, delay) => {
    expect(callbackRetryDelayMs(attempts, () => 1)).toBe(delay);
    expect(callbackRetryDelayMs(attempts, () => 0)).toBe(delay / 2);
  });
});

describe('shouldGiveUp', () => {
  const start = 1_700_000_000_000;
  it.each([
    [0, false],
    [23 * 3_600_000, false],
    [24 * 3_600_000 - 1, false],
    [24 * 3_600_000, true],
    [30 * 3_600_000, true],
  ])('after %i ms -> %s', (elapsed, expected) => {
    expect(shouldGiveUp(start, start + elapsed)).toBe(expected);
  });
});

describe('sendStatusCallback', () => {
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await startCallbackReceiver({ secret: SECRET });
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('delivers a signed callback that the receiver and standardwebhooks both verify', async () => {
    const result = await sendStatusCallback(
      { secret: SECRET, clock: Date.now, callbackHosts: ['127.0.0.1'] },
      { url: `${receiver.url}/status?token=t0k`, webhookId: 'cb_9', event },
    );
    expect(result).toEqual({ ok: true, status: 200 });
    const got = receiver.received.at(-1)!;
    expect(got.signatureValid).toBe(true);
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(got.headers[h])]),
    );
    expect(new Webhook(SECRET).verify(got.rawBody, headers)).toMatchObject({ type: 'handoff.claimed' });
    expect(headers['webhook-id']).toBe('cb_9');
  });
});
