import type { ErasureCounts, RetentionRepository } from '../store.js';
import { lockEventOrder, type PgEvents } from './events.js';
import type { PgOutbox } from './outbox.js';
import { q } from './pool.js';
import type { Transact } from './transact.js';

/**
 * Personal-data erasure on PostgreSQL, in one transaction. Each handoff is erased by a conditional
 * UPDATE, so two processes running the job at once erase (and queue the card update for) it once.
 * Freed tuples are reclaimed by autovacuum.
 */
export class PgRetention implements RetentionRepository {
  constructor(
    private readonly transact: Transact,
    private readonly outbox: PgOutbox,
    private readonly events: PgEvents,
  ) {}

  async erase(resolvedBefore: number, keysBefore: number, now: number): Promise<ErasureCounts> {
    return this.transact(async (c, announce) => {
      const { rows } = await q<{ id: string }>(
        c,
        `UPDATE handoffs SET caller_id = NULL, structured_fields = NULL, caller_message = NULL, webhook_url = NULL, call_summary = NULL, erased_at = @now
         WHERE status = 'resolved' AND resolved_at < @resolvedBefore AND erased_at IS NULL RETURNING id`,
        { now, resolvedBefore },
      );
      const ids = rows.map((r) => r.id);
      let notes = 0;
      let idempotencyKeys = 0;
      if (ids.length > 0) {
        notes = (await q(c, 'UPDATE notes SET text = NULL WHERE handoff_id = ANY (@ids::text[]) AND text IS NOT NULL', { ids })).rowCount ?? 0;
        idempotencyKeys = (await q(c, 'DELETE FROM idempotency_keys WHERE handoff_id = ANY (@ids::text[])', { ids })).rowCount ?? 0;
        // The mirrors hear of it (the desktop drops its copy's caller data), the card is re-rendered
        // without it and the notes' thread replies are deleted: with the erasure, or not at all.
        for (const id of ids) await this.outbox.enqueue(c, id, [{ kind: 'slack.update_card' }, { kind: 'slack.delete_notes' }], now);
        await lockEventOrder(c);
        for (const id of ids) await this.events.append(c, id, { type: 'handoff.erased', actor: null, at: now });
        announce({ handoffIds: ids, events: true, outbox: { paceKeys: [] } });
      }
      idempotencyKeys += (await q(c, 'DELETE FROM idempotency_keys WHERE created_at < @keysBefore', { keysBefore })).rowCount ?? 0;
      return { handoffs: ids.length, notes, idempotencyKeys };
    });
  }
}
