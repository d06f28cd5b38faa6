import type { Db } from './db.js';

/** The Twilio calls Call back placed (SPEC section 9), so a retry can tell its own call from another. */
export class CallBacksRepo {
  private readonly insertStmt;
  private readonly knownStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO call_backs (outbox_id, handoff_id, call_sid, placed_at) VALUES (?, ?, ?, ?)');
    this.knownStmt = db.prepare<[string], { call_sid: string }>('SELECT call_sid FROM call_backs WHERE call_sid IN (SELECT value FROM json_each(?))');
  }

  recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): void {
    this.insertStmt.run(outboxId, handoffId, callSid, at);
  }

  /** Which of `sids` an outbox row already claimed as its own. */
  known(sids: readonly string[]): Set<string> {
    if (sids.length === 0) return new Set();
    return new Set(this.knownStmt.all(JSON.stringify(sids)).map((r) => r.call_sid));
  }
}
