import type { Bound } from './dialect.js';

/**
 * Reminders (`remind_due_at`, `call_back_reminder`), one text for both engines. Each reminder is queued
 * by a conditional UPDATE committed with its outbox rows, so it goes out once even when timers race.
 */
export const reminderStatements = {
  /** Claimed handoffs whose claimer is due a reminder at `now`, soonest first. */
  dueClaims: (now: number, limit: number): Bound => ({
    text: "SELECT id, workflow_id, slack_channel, remind_due_at, claimed_by FROM handoffs WHERE remind_due_at IS NOT NULL AND remind_due_at <= @now AND status = 'claimed' ORDER BY remind_due_at LIMIT @limit",
    params: { now, limit },
  }),

  /** Open handoffs whose caller hung up waiting and got no call-back reminder yet. */
  dueCallBacks: (limit: number): Bound => ({
    text: "SELECT id, workflow_id, slack_channel FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open' ORDER BY caller_hung_up_at LIMIT @limit",
    params: { limit },
  }),

  /** Moves the next reminder to `next` (null: no more); only while still claimed by `claimant` and due at `expected`. */
  remindClaimer: (id: string, c: { claimant: string; expectedDueAt: number; nextDueAt: number | null }): Bound => ({
    text: "UPDATE handoffs SET remind_due_at = @next::bigint WHERE id = @id AND status = 'claimed' AND claimed_by = @claimant AND remind_due_at = @expected",
    params: { id, next: c.nextDueAt, claimant: c.claimant, expected: c.expectedDueAt },
  }),

  /** Marks the one call-back reminder of an open handoff whose caller hung up as sent. */
  remindCallBack: (id: string): Bound => ({
    text: "UPDATE handoffs SET call_back_reminder = 'sent' WHERE id = @id AND status = 'open' AND caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL",
    params: { id },
  }),

  /** When the next reminder falls due (a pending call-back reminder: when the caller hung up); one row: at. */
  nextDueAt: (): Bound => ({
    text: `SELECT MIN(at) AS at FROM (
         SELECT MIN(remind_due_at) AS at FROM handoffs WHERE remind_due_at IS NOT NULL AND status = 'claimed'
         UNION ALL
         SELECT MIN(caller_hung_up_at) FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open') t`,
    params: {},
  }),
};

export interface DueClaimRow {
  id: string;
  workflow_id: string;
  slack_channel: string | null;
  remind_due_at: number;
  claimed_by: string;
}

export interface DueCallBackRow {
  id: string;
  workflow_id: string;
  slack_channel: string | null;
}
