import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import type { CallBacksRepository } from '../store.js';

/** The Twilio calls Call back placed (docs/contract/reaching-the-caller.md#call-back), so a retry can tell its own call from another. */
export class SqliteCallBacks implements CallBacksRepository {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  async recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): Promise<void> {
    this.sql('INSERT OR IGNORE INTO call_backs (outbox_id, handoff_id, call_sid, placed_at) VALUES (?, ?, ?, ?)').run(outboxId, handoffId, callSid, at);
  }

  async known(sids: readonly string[]): Promise<Set<string>> {
    if (sids.length === 0) return new Set();
    const rows = this.sql('SELECT call_sid FROM call_backs WHERE call_sid IN (SELECT value FROM json_each(?))').all(JSON.stringify(sids)) as { call_sid: string }[];
    return new Set(rows.map((r) => r.call_sid));
  }
}
