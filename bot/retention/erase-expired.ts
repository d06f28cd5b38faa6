import type { ErasureCounts, Store } from '../store/store.js';

export const DAY_MS = 86_400_000;
export const IDEMPOTENCY_KEEP_MS = 8 * DAY_MS;

export type { ErasureCounts };

/**
 * Erases the personal data (caller id, structured fields, caller message, callback URL, the voice
 * platform's call summary, notes) of
 * handoffs resolved more than `retentionDays` ago; ids, workflow, reason, severity, status, times and
 * the event types stay. The Slack card is re-rendered without them (the store queues its update).
 */
export function eraseExpired(store: Store, retentionDays: number, now: number): Promise<ErasureCounts> {
  return store.retention.erase(now - retentionDays * DAY_MS, now - IDEMPOTENCY_KEEP_MS, now);
}
