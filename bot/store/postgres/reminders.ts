import type { NewOutboxItem } from '../records.js';
import type { DueCallBackReminder, DueClaimReminder, RemindersRepository } from '../store.js';
import type { PgOutbox } from './outbox.js';
import { q, type Queryable } from './pool.js';
import type { Transact } from './transact.js';

/**
 * Reminders on PostgreSQL: each is a conditional UPDATE committed with its outbox rows, so when the
 * timers of several processes race for one, it goes out once.
 */
export class PgReminders implements RemindersRepository {
  constructor(
    private readonly db: Queryable,
    private readonly transact: Transact,
    private readonly outbox: PgOutbox,
  ) {}

  async dueClaims(now: number, limit: number): Promise<DueClaimReminder[]> {
    const { rows } = await q<{ id: string; workflow_id: string; slack_channel: string | null; remind_due_at: number; claimed_by: string }>(
      this.db,
      "SELECT id, workflow_id, slack_channel, remind_due_at, claimed_by FROM handoffs WHERE remind_due_at IS NOT NULL AND remind_due_at <= @now AND status = 'claimed' ORDER BY remind_due_at LIMIT @limit",
      { now, limit },
    );
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel, remindDueAt: r.remind_due_at, claimant: r.claimed_by }));
  }

  async dueCallBacks(limit: number): Promise<DueCallBackReminder[]> {
    const { rows } = await q<{ id: string; workflow_id: string; slack_channel: string | null }>(
      this.db,
      "SELECT id, workflow_id, slack_channel FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open' ORDER BY caller_hung_up_at LIMIT @limit",
      { limit },
    );
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel }));
  }

  async remindClaimer(
    id: string,
    change: { claimant: string; expectedDueAt: number; nextDueAt: number | null; now: number },
    outbox: readonly NewOutboxItem[],
  ): Promise<boolean> {
    return this.queue(id, outbox, change.now, async (c) => {
      const r = await q(
        c,
        "UPDATE handoffs SET remind_due_at = @next::bigint WHERE id = @id AND status = 'claimed' AND claimed_by = @claimant AND remind_due_at = @expected",
        { id, next: change.nextDueAt, claimant: change.claimant, expected: change.expectedDueAt },
      );
      return r.rowCount === 1;
    });
  }

  async remindCallBack(id: string, now: number, outbox: readonly NewOutboxItem[]): Promise<boolean> {
    return this.queue(id, outbox, now, async (c) => {
      const r = await q(
        c,
        "UPDATE handoffs SET call_back_reminder = 'sent' WHERE id = @id AND status = 'open' AND caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL",
        { id },
      );
      return r.rowCount === 1;
    });
  }

  async nextDueAt(): Promise<number | null> {
    const { rows } = await this.db.query<{ at: number | null }>(
      `SELECT MIN(at) AS at FROM (
         SELECT MIN(remind_due_at) AS at FROM handoffs WHERE remind_due_at IS NOT NULL AND status = 'claimed'
         UNION ALL
         SELECT MIN(caller_hung_up_at) FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open') t`,
    );
    return rows[0]?.at ?? null;
  }

  private queue(id: string, outbox: readonly NewOutboxItem[], now: number, change: (c: Queryable) => Promise<boolean>): Promise<boolean> {
    return this.transact(async (c, announce) => {
      if (!(await change(c))) return false;
      await this.outbox.enqueue(c, id, outbox, now);
      announce({ handoffIds: [id], outbox: { paceKeys: [...new Set(outbox.flatMap((i) => (i.paceKey ? [i.paceKey] : [])))] } });
      return true;
    });
  }
}
