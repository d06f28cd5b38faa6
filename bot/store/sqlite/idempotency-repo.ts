import type { Db } from './db.js';
import { idempotencyStatements as I } from '../sql/small-tables.js';
import { BoundRunner, statementCache } from './statement-cache.js';
import type { IdempotencyRepository, StoredResponse } from '../store.js';
import { putIdempotencyOp, WRITE_STATEMENTS } from '../write-ops.js';

/** Accepted (202) answers by (workflow, key), kept at least 7 days for replays (docs/contract/http-api.md#idempotency). */
export class SqliteIdempotency implements IdempotencyRepository {
  private readonly sql;
  private readonly run;

  constructor(db: Db) {
    this.sql = statementCache(db);
    this.run = new BoundRunner(db);
  }

  putSync(r: { workflowId: string; key: string; bodyHash: string; response: string }, handoffId: string, now: number): void {
    this.sql(WRITE_STATEMENTS.putIdempotency).run(putIdempotencyOp(r.workflowId, r.key, r.bodyHash, handoffId, r.response, now).params);
  }

  async get(workflowId: string, key: string): Promise<StoredResponse | null> {
    const row = this.run.get<{ body_hash: string; handoff_id: string; response: string }>(I.get(workflowId, key));
    return row ? { bodyHash: row.body_hash, handoffId: row.handoff_id, response: row.response } : null;
  }
}
