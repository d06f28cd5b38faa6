import { ALL_WORKFLOWS, type WorkflowScope } from '../../domain/may-act.js';
import type { HandoffRecord, StatsPeriod, StatsRow } from '../records.js';
import { ENDED_CALL_STATUSES, queueCounts, rowToHandoff, timingOf, type CountRow, type HandoffRow as Row } from '../rows.js';
import { POSTGRES } from '../sql/dialect.js';
import { statusStatements } from '../sql/status.js';
import type { QueueCounts, StatsRepository, StatusQueriesRepository } from '../store.js';
import { q, rowsOf, type Queryable } from './pool.js';

const S = statusStatements(POSTGRES);

/** Read models for `/handoff status` and `/handoff mine`, over the unresolved handoffs only (statements: ../sql/status.ts). */
export class PgStatusQueries implements StatusQueriesRepository {
  constructor(private readonly db: Queryable) {}

  async counts(scope: WorkflowScope = ALL_WORKFLOWS): Promise<QueueCounts> {
    const [rows, oldest] = [await rowsOf<CountRow>(this.db, S.counts(scope)), await rowsOf<{ at: number | null }>(this.db, S.oldestUnclaimed(scope))];
    return queueCounts(rows, oldest[0]?.at ?? null);
  }

  async unresolved(limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    return (await rowsOf<Row>(this.db, S.unresolved(limit, scope))).map(rowToHandoff);
  }

  async mine(userId: string, limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    return (await rowsOf<Row>(this.db, S.mine(userId, limit, scope))).map(rowToHandoff);
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
