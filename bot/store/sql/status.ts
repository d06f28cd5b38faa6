import type { WorkflowScope } from '../../domain/may-act.js';
import type { Bound, Dialect } from './dialect.js';

/**
 * Read models for `/handoff status` and `/handoff mine`, one text for both engines. Every query walks an
 * index over the unresolved handoffs only; a handoff outside the asker's WorkflowScope is left out of every figure.
 */
export function statusStatements(d: Dialect) {
  /** A WorkflowScope: `only` just the workflows in `ids`, or all but them. */
  const visible = `(workflow_id ${d.inList('@ids')}) = @only::boolean`;
  const scoped = (scope: WorkflowScope) => ({ ids: d.list(scope.ids), only: d.bool(scope.only) });
  return {
    /** Rows: status, severity, escalated, n. */
    counts: (scope: WorkflowScope): Bound => ({
      text: `SELECT status, severity, escalation_level > 0 AS escalated, COUNT(*) AS n
       FROM handoffs WHERE status IN ('open', 'claimed') AND ${visible} GROUP BY status, severity, escalated`,
      params: scoped(scope),
    }),
    /** One row: at. */
    oldestUnclaimed: (scope: WorkflowScope): Bound => ({
      text: `SELECT MIN(received_at) AS at FROM handoffs WHERE status = 'open' AND ${visible}`,
      params: scoped(scope),
    }),
    unresolved: (limit: number, scope: WorkflowScope): Bound => ({
      text: `SELECT * FROM handoffs WHERE status IN ('open', 'claimed') AND ${visible}
       ORDER BY CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END,
                CASE status WHEN 'open' THEN 0 ELSE 1 END, received_at
       LIMIT @limit`,
      params: { ...scoped(scope), limit },
    }),
    mine: (userId: string, limit: number, scope: WorkflowScope): Bound => ({
      text: `SELECT * FROM handoffs WHERE claimed_by = @userId AND status = 'claimed' AND ${visible} ORDER BY claimed_at DESC LIMIT @limit`,
      params: { ...scoped(scope), userId, limit },
    }),
  };
}
