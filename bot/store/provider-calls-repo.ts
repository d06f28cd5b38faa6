import type { Db } from './db.js';
import { insertProviderCallOp, WRITE_STATEMENTS } from './write-ops.js';

/** Which handoff belongs to which voice-platform call (one per call and workflow, SPEC section 8). */
export class ProviderCallsRepo {
  private readonly findStmt;
  private readonly insertStmt;

  constructor(db: Db) {
    this.findStmt = db.prepare<[string, string, string], { handoff_id: string }>(
      'SELECT handoff_id FROM provider_calls WHERE workflow_id = ? AND platform = ? AND call_id = ?',
    );
    this.insertStmt = db.prepare(WRITE_STATEMENTS.insertProviderCall);
  }

  find(workflowId: string, platform: string, callId: string): string | null {
    return this.findStmt.get(workflowId, platform, callId)?.handoff_id ?? null;
  }

  insert(workflowId: string, platform: string, callId: string, handoffId: string, now: number): void {
    this.insertStmt.run(insertProviderCallOp(workflowId, platform, callId, handoffId, now).params);
  }
}
