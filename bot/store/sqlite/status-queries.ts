import { SEVERITIES, type Severity } from '../../../shared/schemas/enums.js';
import { ALL_WORKFLOWS, type WorkflowScope } from '../../domain/may-act.js';
import type { Db } from './db.js';
import { rowToHandoff } from '../rows.js';
import type { HandoffRecord } from '../records.js';
import type { QueueCounts, StatusQueriesRepository } from '../store.js';

/** A WorkflowScope: bound to its ids (a JSON array) and `only` (1: just these workflows; 0: all but these). */
const IN_SCOPE = '(workflow_id IN (SELECT value FROM json_each(?))) = ?';

/**
 * Read models for `/handoff status` and `/handoff mine`. Every query walks an index over the
 * unresolved handoffs only, so the answer stays fast with any number of resolved ones.
 */
export class SqliteStatusQueries implements StatusQueriesRepository {
  private readonly countsStmt;
  private readonly oldestStmt;
  private readonly listStmt;
  private readonly mineStmt;

  constructor(db: Db) {
    this.countsStmt = db.prepare<[string, number], { status: string; severity: string; escalated: number; n: number }>(`
      SELECT status, severity, escalation_level > 0 AS escalated, COUNT(*) AS n
      FROM handoffs WHERE status IN ('open', 'claimed') AND ${IN_SCOPE} GROUP BY status, severity, escalated`);
    this.oldestStmt = db.prepare<[string, number], { at: number | null }>(`SELECT MIN(received_at) AS at FROM handoffs WHERE status = 'open' AND ${IN_SCOPE}`);
    this.listStmt = db.prepare<[string, number, number]>(`
      SELECT * FROM handoffs WHERE status IN ('open', 'claimed') AND ${IN_SCOPE}
      ORDER BY CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
               CASE status WHEN 'open' THEN 0 ELSE 1 END, received_at
      LIMIT ?`);
    this.mineStmt = db.prepare("SELECT * FROM handoffs WHERE claimed_by = ? AND status = 'claimed' ORDER BY claimed_at DESC LIMIT ?");
  }

  async counts(scope: WorkflowScope = ALL_WORKFLOWS): Promise<QueueCounts> {
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, claimed: 0, escalated: 0 }])) as QueueCounts['counts'];
    let unresolvedTotal = 0;
    const bound = [JSON.stringify(scope.ids), scope.only ? 1 : 0] as const;
    for (const row of this.countsStmt.all(...bound)) {
      const c = counts[row.severity as Severity];
      if (row.status === 'open') c.open += row.n;
      else c.claimed += row.n;
      if (row.escalated) c.escalated += row.n;
      unresolvedTotal += row.n;
    }
    return { counts, oldestUnclaimedAt: this.oldestStmt.get(...bound)?.at ?? null, unresolvedTotal };
  }

  async unresolved(limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    return (this.listStmt.all(JSON.stringify(scope.ids), scope.only ? 1 : 0, limit) as Parameters<typeof rowToHandoff>[0][]).map(rowToHandoff);
  }

  async mine(userId: string, limit: number): Promise<HandoffRecord[]> {
    return (this.mineStmt.all(userId, limit) as Parameters<typeof rowToHandoff>[0][]).map(rowToHandoff);
  }
}
