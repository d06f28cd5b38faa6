import type Database from 'better-sqlite3';
import type { EventType } from '../../shared/schemas/enums.js';
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
