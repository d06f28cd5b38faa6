import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow as Row } from '../rows.js';
import type { CallUpdate } from '../store.js';
import { q, type Queryable } from './pool.js';

type Params = Record<string, unknown>;

/**
 * The handoffs table on PostgreSQL: each state change is one conditional UPDATE ... RETURNING, so
 * concurrent changes from any number of processes have one winner (READ COMMITTED re-checks the
 * condition on the row a concurrent winner committed). Run inside PostgresStore's transaction.
 */
export class PgHandoffRows {
  async get(db: Queryable, id: string, forUpdate = false): Promise<HandoffRecord | null> {
    const { rows } = await q<Row>(db, `SELECT * FROM handoffs WHERE id = @id${forUpdate ? ' FOR UPDATE' : ''}`, { id });
    return rows[0] ? rowToHandoff(rows[0]) : null;
  }

  /** A conditional UPDATE (version bumped); the new record when the row matched. */
  async updateWhere(db: Queryable, id: string, set: string, where: string, params: Params): Promise<HandoffRecord | null> {
    const { rows } = await q<Row>(db, `UPDATE handoffs SET ${set}, version = version + 1 WHERE id = @id AND (${where}) RETURNING *`, { ...params, id });
    return rows[0] ? rowToHandoff(rows[0]) : null;
  }

  claim(db: Queryable, id: string, c: { who: string; now: number; remindDueAt?: number | null }): Promise<HandoffRecord | null> {
    // A release and a second claim keep the first claim (time to claim, docs/contract/outcomes.md#stats).
    return this.updateWhere(
      db,
      id,
      `status = 'claimed', claimed_by = @who, claimed_at = @now, escalate_due_at = NULL, remind_due_at = @remindDueAt::bigint,
       first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
      "status = 'open'",
      { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null },
    );
  }

  release(db: Queryable, id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      "status = 'open', claimed_by = NULL, claimed_at = NULL, escalate_due_at = @dueAt::bigint, remind_due_at = NULL, last_released_by = @who, last_released_at = @now",
      "status = 'claimed' AND claimed_by = @who AND version = @version",
      { who: c.who, now: c.now, dueAt: c.dueAt, version: c.version },
    );
  }

  reopen(db: Queryable, id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      `status = 'open', claimed_by = NULL, claimed_at = NULL, resolved_by = NULL, resolved_at = NULL, outcome = NULL,
       reopened_by = @who, reopened_at = @now, escalate_due_at = @dueAt::bigint, remind_due_at = NULL`,
      "status = 'resolved' AND version = @version",
      { who: c.who, now: c.now, dueAt: c.dueAt, version: c.version },
    );
  }

  escalate(
    db: Queryable,
    id: string,
    c: { who: string; now: number; severity: string; dueAt: number | null; version: number; expectedDueAt: number | null },
  ): Promise<HandoffRecord | null> {
    const timerGuard = c.expectedDueAt === null ? '' : " AND status = 'open' AND escalate_due_at = @expectedDueAt::bigint";
    return this.updateWhere(
      db,
      id,
      `escalation_level = escalation_level + 1, severity = @severity, last_escalated_by = @who, last_escalated_at = @now,
       severity_before_escalation = COALESCE(severity_before_escalation, severity),
       escalate_due_at = CASE WHEN status = 'open' THEN @dueAt::bigint ELSE NULL END`,
      `status <> 'resolved' AND version = @version${timerGuard}`,
      c,
    );
  }

  async clearDue(db: Queryable, id: string, expectedDueAt: number): Promise<boolean> {
    const r = await q(db, 'UPDATE handoffs SET escalate_due_at = NULL, version = version + 1 WHERE id = @id AND escalate_due_at = @expectedDueAt', { id, expectedDueAt });
    return r.rowCount === 1;
  }

  callBack(db: Queryable, id: string, c: { who: string; now: number; remindDueAt?: number | null }): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      `status = 'claimed', claimed_by = @who, claimed_at = CASE WHEN status = 'open' THEN @now::bigint ELSE claimed_at END, escalate_due_at = NULL,
       remind_due_at = CASE WHEN status = 'open' THEN @remindDueAt::bigint ELSE remind_due_at END,
       first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
      "status = 'open' OR (status = 'claimed' AND claimed_by = @who)",
      { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null },
    );
  }

  resolve(db: Queryable, id: string, c: { who: string; now: number; outcome: string }): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      "status = 'resolved', resolved_by = @who, resolved_at = @now, escalate_due_at = NULL, remind_due_at = NULL, outcome = @outcome",
      "status <> 'resolved'",
      { who: c.who, now: c.now, outcome: c.outcome },
    );
  }

  recordOutcome(db: Queryable, id: string, c: { outcome: string }): Promise<HandoffRecord | null> {
    return this.updateWhere(db, id, 'outcome = @outcome', "status = 'resolved'", { outcome: c.outcome });
  }

  /** Bumps the version of a handoff whose related rows changed (a note); returns the record. */
  async touch(db: Queryable, id: string): Promise<HandoffRecord | null> {
    const { rows } = await q<Row>(db, 'UPDATE handoffs SET version = version + 1 WHERE id = @id RETURNING *', { id });
    return rows[0] ? rowToHandoff(rows[0]) : null;
  }

  applyCallUpdate(db: Queryable, id: string, expectedVersion: number, u: CallUpdate): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      `reason = @reason, severity = @severity, notify = @notify, owner_notified = @owner_notified,
       caller_message = @caller_message, structured_fields = @structured_fields, intake_issues = @intake_issues::text,
       escalate_due_at = @escalate_due_at::bigint, caller_id = COALESCE(caller_id, @caller_id::text)`,
      'version = @version AND erased_at IS NULL',
      {
        version: expectedVersion,
        reason: u.reason,
        severity: u.severity,
        notify: JSON.stringify(u.notify),
        owner_notified: JSON.stringify(u.ownerNotified),
        caller_message: u.callerMessage,
        structured_fields: JSON.stringify(u.structuredFields),
        intake_issues: u.intakeIssues === null ? null : JSON.stringify(u.intakeIssues),
        escalate_due_at: u.escalateDueAt,
        caller_id: u.callerId,
      },
    );
  }

  markCallEnded(db: Queryable, id: string, summary: string | null, now: number): Promise<HandoffRecord | null> {
    return this.updateWhere(
      db,
      id,
      `call_status = 'completed', call_summary = COALESCE(@summary::text, call_summary),
       caller_hung_up_at = CASE WHEN status = 'open' AND caller_hung_up_at IS NULL THEN @now::bigint ELSE caller_hung_up_at END`,
      `erased_at IS NULL AND (call_status <> 'completed' OR (@summary::text IS NOT NULL AND call_summary IS DISTINCT FROM @summary::text)
        OR (status = 'open' AND caller_hung_up_at IS NULL))`,
      { summary, now },
    );
  }

  async dueForEscalation(db: Queryable, now: number, limit: number): Promise<{ id: string; escalateDueAt: number }[]> {
    const { rows } = await q<{ id: string; escalate_due_at: number }>(
      db,
      "SELECT id, escalate_due_at FROM handoffs WHERE escalate_due_at IS NOT NULL AND escalate_due_at <= @now AND status = 'open' ORDER BY escalate_due_at LIMIT @limit",
      { now, limit },
    );
    return rows.map((r) => ({ id: r.id, escalateDueAt: r.escalate_due_at }));
  }

  async nextEscalationDueAt(db: Queryable): Promise<number | null> {
    const { rows } = await db.query<{ at: number | null }>('SELECT MIN(escalate_due_at) AS at FROM handoffs WHERE escalate_due_at IS NOT NULL');
    return rows[0]?.at ?? null;
  }
}
