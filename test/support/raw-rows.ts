import BetterSqlite3 from 'better-sqlite3';
import type Database from 'better-sqlite3';
import type { EventType } from '../../shared/schemas/enums.js';
import type { OutboxKind } from '../../bot/store/records.js';
import type { NewHandoff } from '../../bot/store/store.js';
import { appendEventOp, insertHandoffOp, WRITE_STATEMENTS } from '../../bot/store/write-ops.js';

/**
 * Rows written behind the bot's back, on a test's own connection: nothing announces them, as with a
 * write by another process. The statements are the store's own.
 */
export function insertHandoffRow(db: Database.Database, h: NewHandoff): void {
  db.prepare(WRITE_STATEMENTS.insertHandoff).run(insertHandoffOp(h).params);
}

export function appendEventRow(db: Database.Database, handoffId: string, type: EventType, actor: string | null, at: number): number {
  return Number(db.prepare(WRITE_STATEMENTS.appendEvent).run(appendEventOp(handoffId, type, actor, at).params).lastInsertRowid);
}

/**
 * Outbox rows of these kinds still pending in a bot's database file, read on a connection of the
 * test's own (the bot may run in another process): zero means each delivery finished, done or
 * given up, so no late copy can still go out.
 */
export function pendingRowsInFile(dbFile: string, kinds: readonly OutboxKind[]): number {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND kind IN (SELECT value FROM json_each(?))").get(JSON.stringify(kinds)) as { n: number }).n;
  } finally {
    db.close();
  }
}
