import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow } from '../rows.js';
import type { CallUpdate } from '../store.js';

type Params = Record<string, string | number | null>;

/** The handoffs table on SQLite. State changes run inside SqliteStore's transaction (sqlite-store.ts). */
export class SqliteHandoffs {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  getSync(id: string): HandoffRecord | null {
    const row = this.sql('SELECT * FROM handoffs WHERE id = ?').get(id) as HandoffRow | undefined;
    return row ? rowToHandoff(row) : null;
  }

  /** A conditional UPDATE (version bumped); the new record when exactly one row matched. */
  updateWhere(id: string, set: string, where: string, params: Params): HandoffRecord | null {
    const info = this.sql(`UPDATE handoffs SET ${set}, version = version + 1 WHERE id = @id AND (${where})`).run({ ...params, id });
    return info.changes === 1 ? this.getSync(id) : null;
  }

  claim(id: string, c: { who: string; now: number; remindDueAt?: number | null }): HandoffRecord | null {
    // A release and a second claim keep the first claim (time to claim, docs/contract/outcomes.md#stats).
    return this.updateWhere(
      id,
      `status = 'claimed', claimed_by = @who, claimed_at = @now, escalate_due_at = NULL, remind_due_at = @remindDueAt,
       first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
      "status = 'open'",
      { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null },
    );
  }

  release(id: string, c: { who: string; now: number; dueAt: number | null; version: number }): HandoffRecord | null {
    return this.updateWhere(
      id,
      "status = 'open', claimed_by = NULL, claimed_at = NULL, escalate_due_at = @dueAt, remind_due_at = NULL, last_released_by = @who, last_released_at = @now",
      "status = 'claimed' AND claimed_by = @who AND version = @version",
      c,
    );
  }

  reopen(id: string, c: { who: string; now: number; dueAt: number | null; version: number }): HandoffRecord | null {
    return this.updateWhere(
      id,
      `status = 'open', claimed_by = NULL, claimed_at = NULL, resolved_by = NULL, resolved_at = NULL, outcome = NULL,
       reopened_by = @who, reopened_at = @now, escalate_due_at = @dueAt, remind_due_at = NULL`,
      "status = 'resolved' AND version = @version",
      c,
    );
  }

  escalate(id: string, c: { who: string; now: number; severity: string; dueAt: number | null; version: number; expectedDueAt: number | null }): HandoffRecord | null {
    const timerGuard = c.expectedDueAt === null ? '' : " AND status = 'open' AND escalate_due_at = @expectedDueAt";
    return this.updateWhere(
      id,
      `escalation_level = escalation_level + 1, severity = @severity, last_escalated_by = @who, last_escalated_at = @now,
       severity_before_escalation = COALESCE(severity_before_escalation, severity),
       escalate_due_at = CASE WHEN status = 'open' THEN @dueAt ELSE NULL END`,
      `status != 'resolved' AND version = @version${timerGuard}`,
      c,
    );
  }

  clearDue(id: string, expectedDueAt: number): void {
    this.sql('UPDATE handoffs SET escalate_due_at = NULL, version = version + 1 WHERE id = ? AND escalate_due_at = ?').run(id, expectedDueAt);
  }

  callBack(id: string, c: { who: string; now: number; remindDueAt?: number | null }): HandoffRecord | null {
    return this.updateWhere(
      id,
      `status = 'claimed', claimed_by = @who, claimed_at = CASE WHEN status = 'open' THEN @now ELSE claimed_at END, escalate_due_at = NULL,
       remind_due_at = CASE WHEN status = 'open' THEN @remindDueAt ELSE remind_due_at END,
       first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
      "status = 'open' OR (status = 'claimed' AND claimed_by = @who)",
      { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null },
    );
  }

  resolve(id: string, c: { who: string; now: number; outcome: string }): HandoffRecord | null {
    return this.updateWhere(
      id,
      "status = 'resolved', resolved_by = @who, resolved_at = @now, escalate_due_at = NULL, remind_due_at = NULL, outcome = @outcome",
      "status != 'resolved'",
      { who: c.who, now: c.now, outcome: c.outcome },
    );
  }

  recordOutcome(id: string, c: { outcome: string }): HandoffRecord | null {
    return this.updateWhere(id, 'outcome = @outcome', "status = 'resolved'", { outcome: c.outcome });
  }

  /** Bumps the version of a handoff whose related rows changed (a note); returns the record. */
  touch(id: string): HandoffRecord | null {
    return this.sql('UPDATE handoffs SET version = version + 1 WHERE id = ?').run(id).changes === 1 ? this.getSync(id) : null;
  }

  /**
   * A later request from the same platform call, merged by the caller: applied only if nobody changed
   * the handoff since it was read (`expectedVersion`), so a concurrent change is never overwritten.
   */
  applyCallUpdate(id: string, expectedVersion: number, u: CallUpdate): HandoffRecord | null {
    const info = this.sql(`
      UPDATE handoffs SET reason = @reason, severity = @severity, notify = @notify, owner_notified = @owner_notified,
        caller_message = @caller_message, structured_fields = @structured_fields, intake_issues = @intake_issues,
        escalate_due_at = @escalate_due_at, caller_id = COALESCE(caller_id, @caller_id), version = version + 1
      WHERE id = @id AND version = @version AND erased_at IS NULL`).run({
      id,
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
    });
    return info.changes === 1 ? this.getSync(id) : null;
  }

  /**
   * The platform says the call is over: call status \`completed\`, its summary kept (personal data), and
   * if nobody had claimed the handoff yet, when the caller hung up. Null when nothing changed.
   */
  markCallEnded(id: string, summary: string | null, now: number): HandoffRecord | null {
    const info = this.sql(`
      UPDATE handoffs SET call_status = 'completed', call_summary = COALESCE(@summary, call_summary),
        caller_hung_up_at = CASE WHEN status = 'open' AND caller_hung_up_at IS NULL THEN @now ELSE caller_hung_up_at END,
        version = version + 1
      WHERE id = @id AND erased_at IS NULL
        AND (call_status != 'completed' OR (@summary IS NOT NULL AND call_summary IS NOT @summary)
             OR (status = 'open' AND caller_hung_up_at IS NULL))`).run({ id, summary, now });
    return info.changes === 1 ? this.getSync(id) : null;
  }


  setSlackCard(id: string, channel: string, ts: string, version: number): void {
    this.sql('UPDATE handoffs SET slack_channel = ?, slack_ts = ?, slack_card_version = ? WHERE id = ?').run(channel, ts, version, id);
  }

  recordCardVersion(id: string, version: number): void {
    this.sql('UPDATE handoffs SET slack_card_version = MAX(COALESCE(slack_card_version, 0), ?) WHERE id = ?').run(version, id);
  }

  setSlackPermalink(id: string, permalink: string): void {
    this.sql('UPDATE handoffs SET slack_permalink = ? WHERE id = ?').run(permalink, id);
  }

  disableCallbacks(id: string, reason: string): void {
    this.sql('UPDATE handoffs SET callbacks_enabled = 0, callbacks_off_reason = ? WHERE id = ?').run(reason, id);
  }

  dueForEscalation(now: number, limit: number): { id: string; escalateDueAt: number }[] {
    const rows = this.sql(
      "SELECT id, escalate_due_at FROM handoffs WHERE escalate_due_at IS NOT NULL AND escalate_due_at <= ? AND status = 'open' ORDER BY escalate_due_at LIMIT ?",
    ).all(now, limit) as { id: string; escalate_due_at: number }[];
    return rows.map((r) => ({ id: r.id, escalateDueAt: r.escalate_due_at }));
  }

  nextEscalationDueAt(): number | null {
    return (this.sql('SELECT MIN(escalate_due_at) AS at FROM handoffs WHERE escalate_due_at IS NOT NULL').get() as { at: number | null }).at;
  }
}
