import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeWebhookSecret, signWebhook, verifyWebhook, WebhookSecretError } from './standard-webhooks.js';

// The Standard Webhooks specification's published test vector (docs/contract/http-api.md#signature).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const OTHER_SECRET = 'whsec_dGVzdC1zZWNyZXQtbnVtYmVyLXR3by0xMjM0NTY=';

function verifyVector(signature: string, overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  return verifyWebhook({
    keys: [decodeWebhookSecret(VECTOR.secret)],
    id: VECTOR.id,
    timestamp: String(VECTOR.timestamp),
    signature,
    body: Buffer.from(VECTOR.body),
    nowSeconds: VECTOR.timestamp,
    ...overrides,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Standard Webhooks published test vector', () => {
  it('verifies with the clock at the vector\'s timestamp', () => {
    expect(verifyVector(VECTOR.signature)).toBeNull();
  });

  it('is reproduced byte for byte by our signer', () => {
    const headers = signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(headers).toEqual({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature });
  });

  it('is refused once the clock is more than 300 s past it, and accepted at exactly 300 s', () => {
    expect(verifyVector(VECTOR.signature, { nowSeconds: VECTOR.timestamp + 300 })).toBeNull();
    expect(verifyVector(VECTOR.signature, { nowSeconds: VECTOR.timestamp + 301 })).toBe('stale_timestamp');
    expect(verifyVector(VECTOR.signature, { nowSeconds: VECTOR.timestamp - 301 })).toBe('stale_timestamp');
  });

  it('is refused when any signed part changes (id, timestamp, body, one signature byte)', () => {
    expect(verifyVector(VECTOR.signature, { id: 'msg_other' })).toBe('no_matching_signature');
    expect(verifyVector(VECTOR.signature, { timestamp: String(VECTOR.timestamp + 1) })).toBe('no_matching_signature');
    expect(verifyVector(VECTOR.signature, { body: Buffer.from('{"test":2432232314}') })).toBe('no_matching_signature');
    const raw = Buffer.from(VECTOR.signature.slice(3), 'base64');
    raw[0] = raw[0]! ^ 1;
    expect(verifyVector(`v1,${raw.toString('base64')}`)).toBe('no_matching_signature');
  });

  it('agrees with the independent standardwebhooks package in both directions', () => {
    const wh = new Webhook(VECTOR.secret);
    expect(wh.sign(VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body)).toBe(VECTOR.signature);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(VECTOR.timestamp * 1000);
    const ours = signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(wh.verify(VECTOR.body, { ...ours })).toEqual({ test: 2432232314 });
  });

  it('agrees with the independent package on random secrets, ids and bodies', () => {
    for (let i = 0; i < 25; i++) {
      const secret = `whsec_${randomBytes(16 + (i % 17)).toString('base64')}`;
      const id = `msg_${randomBytes(6).toString('hex')}`;
      const ts = 1_700_000_000 + i * 7919;
      const body = JSON.stringify({ i, text: randomBytes(20).toString('latin1'), emoji: '📞 ☎ ü' });
      const ours = signWebhook(secret, id, ts, body)['webhook-signature'];
      expect(ours).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
      expect(
        verifyWebhook({ keys: [decodeWebhookSecret(secret)], id, timestamp: String(ts), signature: ours, body: Buffer.from(body), nowSeconds: ts }),
      ).toBeNull();
    }
  });
});

describe('webhook-signature header with several entries', () => {
  it('verifies when any one of several space-separated v1 entries matches', () => {
    const wrong = signWebhook(OTHER_SECRET, VECTOR.id, VECTOR.timestamp, VECTOR.body)['webhook-signature'];
    expect(verifyVector(`${wrong} ${VECTOR.signature}`)).toBeNull();
    expect(verifyVector(`${VECTOR.signature} ${wrong}`)).toBeNull();
    expect(verifyVector(`${wrong} ${wrong}`)).toBe('no_matching_signature');
  });

  it('ignores entries that are not v1 even when they carry the right MAC', () => {
    const mac = VECTOR.signature.slice('v1,'.length);
    expect(verifyVector(`v2,${mac}`)).toBe('no_matching_signature');
    expect(verifyVector(`v1a,${mac} V1,${mac} ${mac}`)).toBe('no_matching_signature');
    expect(verifyVector(`v1a,${mac} ${VECTOR.signature}`)).toBeNull();
    // An asymmetric (v1a) entry in front does not stop the v1 one from verifying.
    expect(verifyVector(`v1a,${randomBytes(64).toString('base64')} v2,xyz ${VECTOR.signature}`)).toBeNull();
  });

  it('verifies with any of several keys (rotation)', () => {
    const keys = [decodeWebhookSecret(OTHER_SECRET), decodeWebhookSecret(VECTOR.secret)];
    expect(verifyVector(VECTOR.signature, { keys })).toBeNull();
    expect(verifyVector(VECTOR.signature, { keys: [decodeWebhookSecret(OTHER_SECRET)] })).toBe('no_matching_signature');
  });

  it('reports missing headers and malformed timestamps distinctly', () => {
    expect(verifyVector(VECTOR.signature, { id: undefined })).toBe('missing_headers');
    expect(verifyVector(VECTOR.signature, { timestamp: '' })).toBe('missing_headers');
    expect(verifyVector('')).toBe('missing_headers');
    expect(verifyVector(VECTOR.signature, { timestamp: '1614265330.5' })).toBe('bad_timestamp');
    expect(verifyVector(VECTOR.signature, { timestamp: '-1614265330' })).toBe('bad_timestamp');
    expect(verifyVector('v1,not-base64!!')).toBe('no_matching_signature');
  });
});

describe('decodeWebhookSecret', () => {
  it('decodes whsec_ base64 and refuses other shapes without echoing the secret', () => {
    expect(decodeWebhookSecret(VECTOR.secret)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    for (const bad of ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'whsec_c2hvcnQ=']) {
      let caught: unknown;
      try {
        decodeWebhookSecret(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WebhookSecretError);
      expect((caught as Error).message).not.toContain(bad.slice(6) || '\u0000');
    }
  });
});
