import type { Db } from './db.js';
import { SQLITE } from '../sql/dialect.js';
import { callBackStatements } from '../sql/small-tables.js';
import { BoundRunner } from './statement-cache.js';
import type { CallBacksRepository } from '../store.js';

const B = callBackStatements(SQLITE);

/** The Twilio calls Call back placed (docs/contract/reaching-the-caller.md#call-back), so a retry can tell its own call from another. */
export class SqliteCallBacks implements CallBacksRepository {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  async recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): Promise<void> {
    this.run.run(B.recordPlaced(outboxId, handoffId, callSid, at));
  }

  async known(sids: readonly string[]): Promise<Set<string>> {
    if (sids.length === 0) return new Set();
    return new Set(this.run.all<{ call_sid: string }>(B.known(sids)).map((r) => r.call_sid));
  }
}
