import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks signing (https://www.standardwebhooks.com): shared by intake, callbacks and the sandbox. */

export const DEFAULT_TOLERANCE_SECONDS = 300;

export class WebhookSecretError extends Error {
  readonly code = 'invalid_webhook_secret';
}

/** Decodes `whsec_<base64>` into the HMAC key; throws WebhookSecretError without echoing the secret. */
export function decodeWebhookSecret(secret: string): Buffer {
  if (!secret.startsWith('whsec_')) throw new WebhookSecretError('secret must start with "whsec_"');
  const b64 = secret.slice('whsec_'.length);
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new WebhookSecretError('secret must be whsec_ followed by base64');
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length < 16) throw new WebhookSecretError('secret key must be at least 16 bytes');
  return key;
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer | string): Buffer {
  const h = createHmac('sha256', key);
  h.update(`${id}.${timestamp}.`);
  h.update(body);
  return h.digest();
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(
  secret: string | Buffer,
  id: string,
  timestampSeconds: number,
  body: Buffer | string,
): SignedHeaders {
  const key = typeof secret === 'string' ? decodeWebhookSecret(secret) : secret;
  const ts = String(Math.floor(timestampSeconds));
  return {
    'webhook-id': id,
    'webhook-timestamp': ts,
    'webhook-signature': `v1,${hmac(key, id, ts, body).toString('base64')}`,
  };
}

export type VerifyFailure = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'no_matching_signature';

export interface VerifyInput {
  keys: readonly Buffer[];
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}

/** Returns null when one of the keys produced one of the `v1,` signatures; else why not. */
export function verifyWebhook(input: VerifyInput): VerifyFailure | null {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'bad_timestamp';
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > tolerance) return 'stale_timestamp';
  const candidates: Buffer[] = [];
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const sig = Buffer.from(entry.slice(comma + 1), 'base64');
    if (sig.length === 32) candidates.push(sig);
  }
  if (candidates.length === 0) return 'no_matching_signature';
  for (const key of input.keys) {
    const expected = hmac(key, id, timestamp, input.body);
    for (const sig of candidates) {
      if (timingSafeEqual(expected, sig)) return null;
    }
  }
  return 'no_matching_signature';
}
