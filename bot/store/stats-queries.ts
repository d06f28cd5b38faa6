import { MEDIAN_TENTHS, P90_TENTHS, percentileFromRanks } from '../domain/percentile.js';
import type { Db } from './db.js';

/** Call statuses that mean the caller is gone: hung up (or the call ended) before a person came. */
export const ENDED_CALL_STATUSES = ['completed', 'abandoned'] as const;

export interface Timing {
  /** How many handoffs the timing is over (claimed ones for time to claim, resolved ones for time to resolve). */
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** One workflow and reason over one period. Counts only: no personal data is read. */
export interface StatsRow {
  workflowId: string;
  reason: string;
  count: number;
  escalated: number;
  /** The call ended before anyone claimed (never claimed, or first claimed after it ended). */
  hungUpBeforeClaim: number;
  resolved: number;
  notNeeded: number;
  timeToClaim: Timing;
  timeToResolve: Timing;
}

export interface StatsPeriod {
  from: number;
  to: number;
  rows: StatsRow[];
}

const ENDED = ENDED_CALL_STATUSES.map((s) => `'${s}'`).join(', ');

type Raw = [workflowId: string, reason: string, claimMs: number | null, resolveMs: number | null, escalated: number, hungUp: number, resolved: number, notNeeded: number];

interface Group {
  workflowId: string;
  reason: string;
  count: number;
  escalated: number;
  hungUpBeforeClaim: number;
  resolved: number;
  notNeeded: number;
  claims: number[];
  resolves: number[];
}

function timing(values: number[]): Timing {
  const sorted = Float64Array.from(values).sort();
  const at = (rank: number) => sorted[rank - 1];
  return { n: sorted.length, medianMs: percentileFromRanks(sorted.length, MEDIAN_TENTHS, at), p90Ms: percentileFromRanks(sorted.length, P90_TENTHS, at) };
}

/**
 * The figures of `/handoff stats`, App Home and the weekly digest (SPEC section 11): one bounded pass
 * over the period's handoffs, read from the covering handoffs_stats index alone (eight numbers a
 * handoff, no personal data), grouped and sorted here. Measured faster than SQL window functions,
 * which sort the same rows in temporary B-trees (bench/stats.ts).
 */
export class StatsQueries {
  private readonly periodStmt;

  constructor(db: Db) {
    this.periodStmt = db
      .prepare<[number, number, string], Raw>(`
        SELECT workflow_id, reason, first_claimed_at - received_at, resolved_at - received_at,
          escalation_level > 0,
          CASE WHEN first_claimed_at IS NULL THEN call_status IN (${ENDED}) ELSE first_claim_call_status IN (${ENDED}) END,
          status = 'resolved', outcome IS 'not_needed'
        FROM handoffs INDEXED BY handoffs_stats
        WHERE received_at >= ? AND received_at < ? AND workflow_id IN (SELECT value FROM json_each(?))`)
      .raw(true);
  }

  /** Figures per workflow and reason for handoffs received in [from, to), of these workflows only. */
  period(from: number, to: number, workflowIds: readonly string[]): StatsPeriod {
    const groups = new Map<string, Group>();
    for (const [workflowId, reason, claimMs, resolveMs, escalated, hungUp, resolved, notNeeded] of this.periodStmt.iterate(from, to, JSON.stringify(workflowIds))) {
      const key = `${workflowId}\u0000${reason}`;
      let g = groups.get(key);
      if (!g) {
        g = { workflowId, reason, count: 0, escalated: 0, hungUpBeforeClaim: 0, resolved: 0, notNeeded: 0, claims: [], resolves: [] };
        groups.set(key, g);
      }
      g.count += 1;
      g.escalated += escalated;
      g.hungUpBeforeClaim += hungUp;
      g.resolved += resolved;
      g.notNeeded += notNeeded;
      if (claimMs !== null) g.claims.push(claimMs);
      if (resolveMs !== null) g.resolves.push(resolveMs);
    }
    const rows = [...groups.values()].map(({ claims, resolves, ...counts }) => ({ ...counts, timeToClaim: timing(claims), timeToResolve: timing(resolves) }));
    rows.sort((a, b) => a.workflowId.localeCompare(b.workflowId) || b.count - a.count || a.reason.localeCompare(b.reason));
    return { from, to, rows };
  }
}
