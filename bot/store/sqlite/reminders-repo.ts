import type { Db } from './db.js';
import type { SqliteOutbox } from './outbox-repo.js';
import type { NewOutboxItem } from '../records.js';
import { statementCache } from './statement-cache.js';
import type { DueCallBackReminder, DueClaimReminder, RemindersRepository } from '../store.js';

/**
 * Reminders on SQLite (`remind_due_at`, `call_back_reminder` of migration 0090). Each one is a
 * conditional UPDATE committed with its outbox rows, so a reminder goes out once even when two
 * timers (or a restart) race for it.
 */
export class SqliteReminders implements RemindersRepository {
  private readonly sql;

  constructor(
    private readonly db: Db,
    private readonly outbox: SqliteOutbox,
    private readonly onQueued: (handoffId: string, paceKeys: string[]) => void,
  ) {
    this.sql = statementCache(db);
  }

  async dueClaims(now: number, limit: number): Promise<DueClaimReminder[]> {
    const rows = this.sql(
      "SELECT id, workflow_id, slack_channel, remind_due_at, claimed_by FROM handoffs WHERE remind_due_at IS NOT NULL AND remind_due_at <= ? AND status = 'claimed' ORDER BY remind_due_at LIMIT ?",
    ).all(now, limit) as { id: string; workflow_id: string; slack_channel: string | null; remind_due_at: number; claimed_by: string }[];
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel, remindDueAt: r.remind_due_at, claimant: r.claimed_by }));
  }

  async dueCallBacks(limit: number): Promise<DueCallBackReminder[]> {
    const rows = this.sql(
      "SELECT id, workflow_id, slack_channel FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open' ORDER BY caller_hung_up_at LIMIT ?",
    ).all(limit) as { id: string; workflow_id: string; slack_channel: string | null }[];
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel }));
  }

  async remindClaimer(
    id: string,
    change: { claimant: string; expectedDueAt: number; nextDueAt: number | null; now: number },
    outbox: readonly NewOutboxItem[],
  ): Promise<boolean> {
    return this.queue(id, outbox, change.now, () =>
      this.sql("UPDATE handoffs SET remind_due_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ? AND remind_due_at = ?").run(
        change.nextDueAt,
        id,
        change.claimant,
        change.expectedDueAt,
      ).changes === 1,
    );
  }

  async remindCallBack(id: string, now: number, outbox: readonly NewOutboxItem[]): Promise<boolean> {
    return this.queue(id, outbox, now, () =>
      this.sql("UPDATE handoffs SET call_back_reminder = 'sent' WHERE id = ? AND status = 'open' AND caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL").run(id)
        .changes === 1,
    );
  }

  async nextDueAt(): Promise<number | null> {
    const row = this.sql(
      `SELECT MIN(at) AS at FROM (
         SELECT MIN(remind_due_at) AS at FROM handoffs WHERE remind_due_at IS NOT NULL AND status = 'claimed'
         UNION ALL
         SELECT MIN(caller_hung_up_at) FROM handoffs WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL AND status = 'open')`,
    ).get() as { at: number | null };
    return row.at;
  }

  /** The conditional change and its outbox rows in one transaction; the outbox hears of it after the commit. */
  private queue(id: string, outbox: readonly NewOutboxItem[], now: number, change: () => boolean): boolean {
    const done = this.db
      .transaction(() => {
        if (!change()) return false;
        this.outbox.enqueueSync(id, outbox, now);
        return true;
      })
      .immediate();
    if (done) this.onQueued(id, [...new Set(outbox.flatMap((i) => (i.paceKey ? [i.paceKey] : [])))]);
    return done;
  }
}
