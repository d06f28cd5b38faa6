import type { StatsPeriod, StatsRow } from '../records.js';
import { ENDED_CALL_STATUSES, timingOf } from '../rows.js';
import type { Db } from './db.js';

const ENDED = ENDED_CALL_STATUSES.map((s) => `'${s}'`).join(', ');

type Raw = [workflowId: string, reason: string, count: number, escalated: number, hungUp: number, resolved: number, notNeeded: number, claims: string | null, resolves: string | null];

/** A group's waits, sent as one comma-separated text instead of a row per handoff (the costly part). */
function waits(list: string | null): number[] {
  return list === null || list === '' ? [] : list.split(',').map(Number);
}

/**
 * The figures of `/handoff stats`, App Home and the weekly digest (docs/contract/outcomes.md#stats): one grouped pass
 * over the period's handoffs, read from the covering handoffs_stats index alone (no personal data).
 * Counts are summed in SQL; each group's waits come back as one list, sorted here for the median and
 * p90. Measured faster than window functions or a row per handoff (bench/stats.ts).
 */
export class SqliteStatsQueries {
  private readonly periodStmt;

  constructor(db: Db) {
    this.periodStmt = db
      .prepare<[number, number, string], Raw>(`
        SELECT workflow_id, reason, COUNT(*),
          SUM(escalation_level > 0),
          SUM(CASE WHEN first_claimed_at IS NULL THEN call_status IN (${ENDED}) ELSE first_claim_call_status IN (${ENDED}) END),
          SUM(status = 'resolved'), SUM(outcome IS 'not_needed'),
          group_concat(first_claimed_at - received_at), group_concat(resolved_at - received_at)
        FROM handoffs INDEXED BY handoffs_stats
        WHERE received_at >= ? AND received_at < ? AND workflow_id IN (SELECT value FROM json_each(?))
        GROUP BY workflow_id, reason`)
      .raw(true);
  }

  /** Figures per workflow and reason for handoffs received in [from, to), of these workflows only. */
  async period(from: number, to: number, workflowIds: readonly string[]): Promise<StatsPeriod> {
    const rows: StatsRow[] = this.periodStmt.all(from, to, JSON.stringify(workflowIds)).map(
      ([workflowId, reason, count, escalated, hungUpBeforeClaim, resolved, notNeeded, claims, resolves]) => ({
        workflowId,
        reason,
        count,
        escalated,
        hungUpBeforeClaim,
        resolved,
        notNeeded,
        timeToClaim: timingOf(waits(claims)),
        timeToResolve: timingOf(waits(resolves)),
      }),
    );
    rows.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || b.count - a.count || a.reason.localeCompare(b.reason));
    return { from, to, rows };
  }
}
