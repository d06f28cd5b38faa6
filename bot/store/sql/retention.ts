import type { Bound, Dialect } from './dialect.js';

/** Personal-data erasure, one text for both engines; run in one transaction with what follows each erasure. */
export function retentionStatements(d: Dialect) {
  return {
    /**
     * Erases the personal fields of handoffs resolved before `resolvedBefore`, each once (a conditional
     * UPDATE: two runs at once erase it once); rows: the erased handoffs. The version moves like any
     * change's: the card edit skips a card whose recorded version is current, so an erasure that left it
     * would leave the caller's data on the card.
     */
    eraseHandoffs: (resolvedBefore: number, now: number): Bound => ({
      text: `UPDATE handoffs SET caller_id = NULL, structured_fields = NULL, caller_message = NULL, webhook_url = NULL, call_summary = NULL, erased_at = @now,
           version = version + 1
         WHERE status = 'resolved' AND resolved_at < @resolvedBefore AND erased_at IS NULL RETURNING *`,
      params: { resolvedBefore, now },
    }),
    eraseNotes: (ids: readonly string[]): Bound => ({
      text: `UPDATE notes SET text = NULL WHERE handoff_id ${d.inList('@ids')} AND text IS NOT NULL`,
      params: { ids: d.list(ids) },
    }),
    dropKeysOf: (ids: readonly string[]): Bound => ({ text: `DELETE FROM idempotency_keys WHERE handoff_id ${d.inList('@ids')}`, params: { ids: d.list(ids) } }),
    dropKeysBefore: (keysBefore: number): Bound => ({ text: 'DELETE FROM idempotency_keys WHERE created_at < @keysBefore', params: { keysBefore } }),
  };
}
