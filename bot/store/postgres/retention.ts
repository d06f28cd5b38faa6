import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow } from '../rows.js';
import { POSTGRES } from '../sql/dialect.js';
import { retentionStatements } from '../sql/retention.js';
import { rowsOf, run, type Queryable } from './pool.js';

const R = retentionStatements(POSTGRES);

/**
 * Personal-data erasure on PostgreSQL (statements: ../sql/retention.ts), run inside PostgresStore's
 * transaction with what follows each erasure. Each handoff is erased by a conditional UPDATE, so two
 * processes running the job at once erase it (and queue its follow-ups) once. Freed tuples are
 * reclaimed by autovacuum.
 */
export async function eraseExpiredRows(
  db: Queryable,
  resolvedBefore: number,
  keysBefore: number,
  now: number,
): Promise<{ erased: HandoffRecord[]; notes: number; idempotencyKeys: number }> {
  const erased = (await rowsOf<HandoffRow>(db, R.eraseHandoffs(resolvedBefore, now))).map(rowToHandoff);
  const ids = erased.map((h) => h.id);
  let notes = 0;
  let idempotencyKeys = 0;
  if (ids.length > 0) {
    notes = await run(db, R.eraseNotes(ids));
    idempotencyKeys = await run(db, R.dropKeysOf(ids));
  }
  idempotencyKeys += await run(db, R.dropKeysBefore(keysBefore));
  return { erased, notes, idempotencyKeys };
}
