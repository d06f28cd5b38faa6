import type { ErasureCounts, FollowUps, Store } from '../store/store.js';

export const DAY_MS = 86_400_000;
export const IDEMPOTENCY_KEEP_MS = 8 * DAY_MS;

export type { ErasureCounts };

/**
 * Erases the personal data (caller id, structured fields, caller message, callback URL, the voice
 * platform's call summary, notes) of
 * handoffs resolved more than `retentionDays` ago; ids, workflow, reason, severity, status, times and
 * the event types stay; what follows each erasure commits with it (`erasureFollowUps`).
 */
export function eraseExpired(store: Store, retentionDays: number, now: number): Promise<ErasureCounts> {
  return store.retention.erase(now - retentionDays * DAY_MS, now - IDEMPOTENCY_KEEP_MS, now, erasureFollowUps(now));
}

/**
 * What follows an erasure: a `handoff.erased` event (mirrors such as the desktop replace their copy),
 * the card re-rendered without the erased fields, and the notes' thread replies deleted from Slack.
 */
export function erasureFollowUps(now: number): FollowUps {
  return () => ({ event: { type: 'handoff.erased', actor: null, at: now }, outbox: [{ kind: 'slack.update_card' }, { kind: 'slack.delete_notes' }] });
}
