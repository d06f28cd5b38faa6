import type { Db } from './db.js';
import type { SqliteEvents } from './events-repo.js';
import type { SqliteOutbox } from './outbox-repo.js';
import { statementCache } from './statement-cache.js';
import type { ErasureCounts, RetentionRepository } from '../store.js';

/** Personal-data erasure on SQLite: `secure_delete` (set at open) zeroes the freed bytes, a checkpoint moves them out of the WAL. */
export class SqliteRetention implements RetentionRepository {
  private readonly sql;

  constructor(
    private readonly db: Db,
    private readonly outbox: SqliteOutbox,
    private readonly events: SqliteEvents,
    private readonly onErased: (handoffIds: string[]) => void,
  ) {
    this.sql = statementCache(db);
  }

  async erase(resolvedBefore: number, keysBefore: number, now: number): Promise<ErasureCounts> {
    const { counts, ids } = this.db
      .transaction(() => {
        const ids = this.sql("SELECT id FROM handoffs WHERE status = 'resolved' AND resolved_at < ? AND erased_at IS NULL").pluck().all(resolvedBefore) as string[];
        let notes = 0;
        let idempotencyKeys = 0;
        for (const id of ids) {
          this.sql('UPDATE handoffs SET caller_id = NULL, structured_fields = NULL, caller_message = NULL, webhook_url = NULL, call_summary = NULL, erased_at = ? WHERE id = ?').run(now, id);
          notes += this.sql('UPDATE notes SET text = NULL WHERE handoff_id = ? AND text IS NOT NULL').run(id).changes;
          idempotencyKeys += this.sql('DELETE FROM idempotency_keys WHERE handoff_id = ?').run(id).changes;
          // The mirrors hear of it (the desktop drops its copy's caller data), the card is re-rendered
          // without it and the notes' thread replies are deleted: with the erasure, or not at all.
          this.events.appendSync(id, { type: 'handoff.erased', actor: null, at: now });
          this.outbox.enqueueSync(id, [{ kind: 'slack.update_card' }, { kind: 'slack.delete_notes' }], now);
        }
        idempotencyKeys += this.sql('DELETE FROM idempotency_keys WHERE created_at < ?').run(keysBefore).changes;
        return { counts: { handoffs: ids.length, notes, idempotencyKeys }, ids };
      })
      .immediate();
    if (ids.length > 0) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.onErased(ids);
    }
    return counts;
  }
}
