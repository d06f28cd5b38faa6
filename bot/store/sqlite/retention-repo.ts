import type { Db } from './db.js';
import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow } from '../rows.js';
import { SQLITE } from '../sql/dialect.js';
import { retentionStatements } from '../sql/retention.js';
import { BoundRunner } from './statement-cache.js';

const R = retentionStatements(SQLITE);

/**
 * Personal-data erasure on SQLite (statements: ../sql/retention.ts), run inside SqliteStore's
 * transaction with what follows each erasure. `secure_delete` (set at open) zeroes the freed bytes; a
 * checkpoint after the commit moves them out of the WAL.
 */
export class SqliteRetentionRows {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  /** Erases the expired handoffs, their notes and their idempotency records; returns the erased handoffs and the counts. */
  erase(resolvedBefore: number, keysBefore: number, now: number): { erased: HandoffRecord[]; notes: number; idempotencyKeys: number } {
    const erased = this.run.all<HandoffRow>(R.eraseHandoffs(resolvedBefore, now)).map(rowToHandoff);
    const ids = erased.map((h) => h.id);
    let notes = 0;
    let idempotencyKeys = 0;
    if (ids.length > 0) {
      notes = this.run.run(R.eraseNotes(ids)).changes;
      idempotencyKeys = this.run.run(R.dropKeysOf(ids)).changes;
    }
    idempotencyKeys += this.run.run(R.dropKeysBefore(keysBefore)).changes;
    return { erased, notes, idempotencyKeys };
  }
}
