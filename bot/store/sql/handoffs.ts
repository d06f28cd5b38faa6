import type { CallUpdate } from '../store.js';
import type { Bound, Dialect } from './dialect.js';

/** A conditional change of one handoff: the version goes up, and the row comes back only when it matched. */
function change(id: string, set: string, where: string, params: Bound['params']): Bound {
  return { text: `UPDATE handoffs SET ${set}, version = version + 1 WHERE id = @id AND (${where}) RETURNING *`, params: { ...params, id } };
}

/**
 * The statements of the handoffs table, one text for both engines. Each state change is one
 * conditional UPDATE ... RETURNING, so concurrent changes have one winner; the engines run them inside
 * their transaction with the event and outbox rows.
 */
export function handoffStatements(d: Dialect) {
  return {
    /** `lock`: held for the rest of the transaction (the change that follows decides on what was read). */
    get: (id: string, lock = false): Bound => ({ text: `SELECT * FROM handoffs WHERE id = @id${lock ? d.forUpdate : ''}`, params: { id } }),

    // A release and a second claim keep the first claim (time to claim, docs/contract/outcomes.md#stats).
    claim: (id: string, c: { who: string; now: number; remindDueAt?: number | null }): Bound =>
      change(
        id,
        `status = 'claimed', claimed_by = @who, claimed_at = @now, escalate_due_at = NULL, remind_due_at = @remindDueAt::bigint,
         first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
        "status = 'open'",
        { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null },
      ),

    release: (id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Bound =>
      change(
        id,
        "status = 'open', claimed_by = NULL, claimed_at = NULL, escalate_due_at = @dueAt::bigint, remind_due_at = NULL, last_released_by = @who, last_released_at = @now",
        "status = 'claimed' AND claimed_by = @who AND version = @version",
        { who: c.who, now: c.now, dueAt: c.dueAt, version: c.version },
      ),

    reopen: (id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Bound =>
      change(
        id,
        `status = 'open', claimed_by = NULL, claimed_at = NULL, resolved_by = NULL, resolved_at = NULL, outcome = NULL,
         reopened_by = @who, reopened_at = @now, escalate_due_at = @dueAt::bigint, remind_due_at = NULL`,
        "status = 'resolved' AND version = @version",
        { who: c.who, now: c.now, dueAt: c.dueAt, version: c.version },
      ),

    /** The timer (`expectedDueAt` set) escalates only an open handoff still due at the time it saw. */
    escalate: (id: string, c: { who: string; now: number; severity: string; dueAt: number | null; version: number; expectedDueAt: number | null }): Bound =>
      change(
        id,
        `escalation_level = escalation_level + 1, severity = @severity, last_escalated_by = @who, last_escalated_at = @now,
         severity_before_escalation = COALESCE(severity_before_escalation, severity),
         escalate_due_at = CASE WHEN status = 'open' THEN @dueAt::bigint ELSE NULL END`,
        `status <> 'resolved' AND version = @version${c.expectedDueAt === null ? '' : " AND status = 'open' AND escalate_due_at = @expectedDueAt::bigint"}`,
        { who: c.who, now: c.now, severity: c.severity, dueAt: c.dueAt, version: c.version, expectedDueAt: c.expectedDueAt },
      ),

    clearDue: (id: string, expectedDueAt: number): Bound => ({
      text: 'UPDATE handoffs SET escalate_due_at = NULL, version = version + 1 WHERE id = @id AND escalate_due_at = @expectedDueAt',
      params: { id, expectedDueAt },
    }),

    // Idempotent per handoff: no call of it still queued in the outbox, nor one queued after @quietSince.
    // SQLite's transaction is serial; PostgreSQL's store locks the handoff row first, so this statement
    // sees a concurrent click's outbox row.
    callBack: (id: string, c: { who: string; now: number; remindDueAt?: number | null; quietSince: number }): Bound =>
      change(
        id,
        `status = 'claimed', claimed_by = @who, claimed_at = CASE WHEN status = 'open' THEN @now::bigint ELSE claimed_at END, escalate_due_at = NULL,
         remind_due_at = CASE WHEN status = 'open' THEN @remindDueAt::bigint ELSE remind_due_at END,
         first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
        `(status = 'open' OR (status = 'claimed' AND claimed_by = @who))
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.handoff_id = handoffs.id AND o.kind = 'voice.call_back'
                         AND (o.status = 'pending' OR o.created_at > @quietSince::bigint))`,
        { who: c.who, now: c.now, remindDueAt: c.remindDueAt ?? null, quietSince: c.quietSince },
      ),

    resolve: (id: string, c: { who: string; now: number; outcome: string }): Bound =>
      change(
        id,
        "status = 'resolved', resolved_by = @who, resolved_at = @now, escalate_due_at = NULL, remind_due_at = NULL, outcome = @outcome",
        "status <> 'resolved'",
        { who: c.who, now: c.now, outcome: c.outcome },
      ),

    recordOutcome: (id: string, c: { outcome: string }): Bound => change(id, 'outcome = @outcome', "status = 'resolved'", { outcome: c.outcome }),

    /** Bumps the version of a handoff whose related rows changed (a note). */
    touch: (id: string): Bound => ({ text: 'UPDATE handoffs SET version = version + 1 WHERE id = @id RETURNING *', params: { id } }),

    /** A later request from the same platform call, merged by the caller: only while nobody changed the handoff since it was read. */
    applyCallUpdate: (id: string, expectedVersion: number, u: CallUpdate): Bound =>
      change(
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
      ),

    /**
     * The platform says the call is over: call status `completed`, its summary kept (personal data), and
     * if nobody had claimed the handoff yet, when the caller hung up. No row when nothing changed.
     */
    markCallEnded: (id: string, summary: string | null, now: number): Bound =>
      change(
        id,
        `call_status = 'completed', call_summary = COALESCE(@summary::text, call_summary),
         caller_hung_up_at = CASE WHEN status = 'open' AND caller_hung_up_at IS NULL THEN @now::bigint ELSE caller_hung_up_at END`,
        `erased_at IS NULL AND (call_status <> 'completed' OR (@summary::text IS NOT NULL AND call_summary IS DISTINCT FROM @summary::text)
          OR (status = 'open' AND caller_hung_up_at IS NULL))`,
        { summary, now },
      ),

    setSlackCard: (id: string, channel: string, ts: string, version: number): Bound => ({
      text: 'UPDATE handoffs SET slack_channel = @channel, slack_ts = @ts, slack_card_version = @version WHERE id = @id',
      params: { id, channel, ts, version },
    }),

    /** Never moves backwards: card edits can finish out of order. */
    recordCardVersion: (id: string, version: number): Bound => ({
      text: `UPDATE handoffs SET slack_card_version = ${d.greatest('COALESCE(slack_card_version, 0)', '@version::int')} WHERE id = @id`,
      params: { id, version },
    }),

    setSlackPermalink: (id: string, permalink: string): Bound => ({ text: 'UPDATE handoffs SET slack_permalink = @permalink WHERE id = @id', params: { id, permalink } }),

    disableCallbacks: (id: string, reason: string): Bound => ({
      text: 'UPDATE handoffs SET callbacks_enabled = 0, callbacks_off_reason = @reason WHERE id = @id',
      params: { id, reason },
    }),

    /** Open handoffs whose escalation is due at `now`, soonest first (rows: id, escalate_due_at). */
    dueForEscalation: (now: number, limit: number): Bound => ({
      text: "SELECT id, escalate_due_at FROM handoffs WHERE escalate_due_at IS NOT NULL AND escalate_due_at <= @now AND status = 'open' ORDER BY escalate_due_at LIMIT @limit",
      params: { now, limit },
    }),

    /** One row: at. */
    nextEscalationDueAt: (): Bound => ({ text: 'SELECT MIN(escalate_due_at) AS at FROM handoffs WHERE escalate_due_at IS NOT NULL', params: {} }),
  };
}
