import { SEVERITIES, type Severity } from '../../../shared/schemas/enums.js';
import { ALL_WORKFLOWS, type WorkflowScope } from '../../domain/may-act.js';
import type { HandoffRecord, StatsPeriod, StatsRow } from '../records.js';
import { ENDED_CALL_STATUSES, rowToHandoff, timingOf, type HandoffRow as Row } from '../rows.js';
import type { QueueCounts, StatsRepository, StatusQueriesRepository } from '../store.js';
import { q, type Queryable } from './pool.js';

/** A WorkflowScope: `only` just the workflows in `ids`, or all but them. */
const IN_SCOPE = '(workflow_id = ANY (@ids::text[])) = @only::boolean';

/** Read models for `/handoff status` and `/handoff mine`, over the unresolved handoffs only. */
export class PgStatusQueries implements StatusQueriesRepository {
  constructor(private readonly db: Queryable) {}

  async counts(scope: WorkflowScope = ALL_WORKFLOWS): Promise<QueueCounts> {
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, claimed: 0, escalated: 0 }])) as QueueCounts['counts'];
    let unresolvedTotal = 0;
    const params = { ids: [...scope.ids], only: scope.only };
    const { rows } = await q<{ status: string; severity: string; escalated: boolean; n: number }>(
      this.db,
      `SELECT status, severity, escalation_level > 0 AS escalated, COUNT(*) AS n
       FROM handoffs WHERE status IN ('open', 'claimed') AND ${IN_SCOPE} GROUP BY status, severity, escalated`,
      params,
    );
    for (const row of rows) {
      const c = counts[row.severity as Severity];
      if (row.status === 'open') c.open += row.n;
      else c.claimed += row.n;
      if (row.escalated) c.escalated += row.n;
      unresolvedTotal += row.n;
    }
    const oldest = await q<{ at: number | null }>(this.db, `SELECT MIN(received_at) AS at FROM handoffs WHERE status = 'open' AND ${IN_SCOPE}`, params);
    return { counts, oldestUnclaimedAt: oldest.rows[0]?.at ?? null, unresolvedTotal };
  }

  async unresolved(limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    const { rows } = await q<Row>(
      this.db,
      `SELECT * FROM handoffs WHERE status IN ('open', 'claimed') AND ${IN_SCOPE}
       ORDER BY CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                CASE status WHEN 'open' THEN 0 ELSE 1 END, received_at
       LIMIT @limit`,
      { ids: [...scope.ids], only: scope.only, limit },
    );
    return rows.map(rowToHandoff);
  }

  async mine(userId: string, limit: number): Promise<HandoffRecord[]> {
    const { rows } = await q<Row>(this.db, "SELECT * FROM handoffs WHERE claimed_by = @userId AND status = 'claimed' ORDER BY claimed_at DESC LIMIT @limit", { userId, limit });
    return rows.map(rowToHandoff);
  }
}

const ENDED = ENDED_CALL_STATUSES.map((s) => `'${s}'`).join(', ');

/** The figures of `/handoff stats` (docs/contract/outcomes.md#stats): one grouped pass over the period's handoffs, counts only. */
export class PgStatsQueries implements StatsRepository {
  constructor(private readonly db: Queryable) {}

  async period(from: number, to: number, workflowIds: readonly string[]): Promise<StatsPeriod> {
    const { rows: raw } = await q<{
      workflow_id: string;
      reason: string;
      count: number;
      escalated: number;
      hung_up: number;
      resolved: number;
      not_needed: number;
      claims: number[] | null;
      resolves: number[] | null;
    }>(
      this.db,
      `SELECT workflow_id, reason, COUNT(*) AS count,
         COUNT(*) FILTER (WHERE escalation_level > 0) AS escalated,
         COUNT(*) FILTER (WHERE CASE WHEN first_claimed_at IS NULL THEN call_status IN (${ENDED}) ELSE first_claim_call_status IN (${ENDED}) END) AS hung_up,
         COUNT(*) FILTER (WHERE status = 'resolved') AS resolved,
         COUNT(*) FILTER (WHERE outcome = 'not_needed') AS not_needed,
         array_agg(first_claimed_at - received_at) FILTER (WHERE first_claimed_at IS NOT NULL)::float8[] AS claims,
         array_agg(resolved_at - received_at) FILTER (WHERE resolved_at IS NOT NULL)::float8[] AS resolves
       FROM handoffs
       WHERE received_at >= @from AND received_at < @to AND workflow_id = ANY (@workflowIds::text[])
       GROUP BY workflow_id, reason`,
      { from, to, workflowIds: [...workflowIds] },
    );
    const rows: StatsRow[] = raw.map((r) => ({
      workflowId: r.workflow_id,
      reason: r.reason,
      count: r.count,
      escalated: r.escalated,
      hungUpBeforeClaim: r.hung_up,
      resolved: r.resolved,
      notNeeded: r.not_needed,
      timeToClaim: timingOf(r.claims ?? []),
      timeToResolve: timingOf(r.resolves ?? []),
    }));
    rows.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || b.count - a.count || a.reason.localeCompare(b.reason));
    return { from, to, rows };
  }
}
