import { createHash } from 'node:crypto';

export const MAX_STORED_KEY_LENGTH = 255;

/**
 * The key a request is stored and looked up under: the body's `idempotency_key`, else the
 * `webhook-id` header. A header longer than 255 characters is kept as its SHA-256, so lookup and
 * storage always use the same value and a long id still replays.
 */
export function idempotencyKeyOf(bodyKey: unknown, webhookId: string | undefined): string | null {
  const raw = typeof bodyKey === 'string' && bodyKey.length > 0 ? bodyKey : webhookId;
  if (!raw) return null;
  if (raw.length <= MAX_STORED_KEY_LENGTH) return raw;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}
