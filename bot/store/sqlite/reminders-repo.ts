import type { Db } from './db.js';
import type { SqliteOutbox } from './outbox-repo.js';
import type { NewOutboxItem } from '../records.js';
import { reminderStatements as R, type DueCallBackRow, type DueClaimRow } from '../sql/reminders.js';
import { BoundRunner } from './statement-cache.js';
import type { DueCallBackReminder, DueClaimReminder, RemindersRepository } from '../store.js';

/**
 * Reminders on SQLite (`remind_due_at`, `call_back_reminder` of migration 0090; statements: ../sql/reminders.ts). Each one is a
 * conditional UPDATE committed with its outbox rows, so a reminder goes out once even when two
 * timers (or a restart) race for it.
 */
export class SqliteReminders implements RemindersRepository {
  private readonly run;

  constructor(
    private readonly db: Db,
    private readonly outbox: SqliteOutbox,
    private readonly onQueued: (handoffId: string, paceKeys: string[]) => void,
  ) {
    this.run = new BoundRunner(db);
  }

  async dueClaims(now: number, limit: number): Promise<DueClaimReminder[]> {
    return this.run.all<DueClaimRow>(R.dueClaims(now, limit)).map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel, remindDueAt: r.remind_due_at, claimant: r.claimed_by }));
  }

  async dueCallBacks(limit: number): Promise<DueCallBackReminder[]> {
    return this.run.all<DueCallBackRow>(R.dueCallBacks(limit)).map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel }));
  }

  async remindClaimer(
    id: string,
    change: { claimant: string; expectedDueAt: number; nextDueAt: number | null; now: number },
    outbox: readonly NewOutboxItem[],
  ): Promise<boolean> {
    return this.queue(id, outbox, change.now, () => this.run.run(R.remindClaimer(id, change)).changes === 1);
  }

  async remindCallBack(id: string, now: number, outbox: readonly NewOutboxItem[]): Promise<boolean> {
    return this.queue(id, outbox, now, () => this.run.run(R.remindCallBack(id)).changes === 1);
  }

  async nextDueAt(): Promise<number | null> {
    return this.run.get<{ at: number | null }>(R.nextDueAt())?.at ?? null;
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
