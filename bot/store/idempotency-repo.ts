import type { Db } from './db.js';
import { putIdempotencyOp, WRITE_STATEMENTS } from './write-ops.js';

export interface StoredResponse {
  bodyHash: string;
  handoffId: string;
  response: string;
}

/** Accepted (202) answers by (workflow, key), kept at least 7 days for replays (SPEC section 3). */
export class IdempotencyRepo {
  private readonly getStmt;
  private readonly putStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string, string], { body_hash: string; handoff_id: string; response: string }>(
      'SELECT body_hash, handoff_id, response FROM idempotency_keys WHERE workflow_id = ? AND key = ?',
    );
    this.putStmt = db.prepare(WRITE_STATEMENTS.putIdempotency);
  }

  get(workflowId: string, key: string): StoredResponse | null {
    const row = this.getStmt.get(workflowId, key);
    return row ? { bodyHash: row.body_hash, handoffId: row.handoff_id, response: row.response } : null;
  }

  put(workflowId: string, key: string, bodyHash: string, handoffId: string, response: string, now: number): void {
    this.putStmt.run(putIdempotencyOp(workflowId, key, bodyHash, handoffId, response, now).params);
  }

  pruneOlderThan(cutoff: number): number {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(cutoff).changes;
  }
}
