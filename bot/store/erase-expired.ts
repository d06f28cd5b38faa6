import type { Store } from './store.js';

export const DAY_MS = 86_400_000;
export const IDEMPOTENCY_KEEP_MS = 8 * DAY_MS;

export interface ErasureCounts {
  handoffs: number;
  notes: number;
  idempotencyKeys: number;
}

/**
 * Erases the personal data (caller id, structured fields, caller message, callback URL, the voice
 * platform's call summary, notes) of
 * handoffs resolved more than `retentionDays` ago; ids, workflow, reason, severity, status, times and
 * the event types stay. The Slack card is re-rendered without them. `secure_delete` (set at open)
 * zeroes the freed bytes and a checkpoint moves them out of the WAL.
 */
export function eraseExpired(store: Store, retentionDays: number, now: number): ErasureCounts {
  const cutoff = now - retentionDays * DAY_MS;
  const counts = store.transaction((): ErasureCounts => {
    const ids = store.db
      .prepare("SELECT id FROM handoffs WHERE status = 'resolved' AND resolved_at < ? AND erased_at IS NULL")
      .pluck()
      .all(cutoff) as string[];
    let notes = 0;
    let idempotencyKeys = 0;
    const eraseHandoff = store.db.prepare(
      'UPDATE handoffs SET caller_id = NULL, structured_fields = NULL, caller_message = NULL, webhook_url = NULL, call_summary = NULL, erased_at = ? WHERE id = ?',
    );
    const eraseNotes = store.db.prepare('UPDATE notes SET text = NULL WHERE handoff_id = ? AND text IS NOT NULL');
    const dropKeys = store.db.prepare('DELETE FROM idempotency_keys WHERE handoff_id = ?');
    for (const id of ids) {
      eraseHandoff.run(now, id);
      notes += eraseNotes.run(id).changes;
      idempotencyKeys += dropKeys.run(id).changes;
      store.outbox.enqueue(id, [{ kind: 'slack.update_card' }], now);
    }
    idempotencyKeys += store.idempotency.pruneOlderThan(now - IDEMPOTENCY_KEEP_MS);
    return { handoffs: ids.length, notes, idempotencyKeys };
  });
  if (counts.handoffs > 0) store.db.pragma('wal_checkpoint(TRUNCATE)');
  return counts;
}
