import type { NewOutboxItem } from '../records.js';
import type { DueCallBackReminder, DueClaimReminder, RemindersRepository } from '../store.js';
import type { PgOutbox } from './outbox.js';
import { reminderStatements as R, type DueCallBackRow, type DueClaimRow } from '../sql/reminders.js';
import { rowsOf, run, type Queryable } from './pool.js';
import type { Transact } from './transact.js';

/**
 * Reminders on PostgreSQL (statements: ../sql/reminders.ts): each is a conditional UPDATE committed with its outbox rows, so when the
 * timers of several processes race for one, it goes out once.
 */
export class PgReminders implements RemindersRepository {
  constructor(
    private readonly db: Queryable,
    private readonly transact: Transact,
    private readonly outbox: PgOutbox,
  ) {}

  async dueClaims(now: number, limit: number): Promise<DueClaimReminder[]> {
    const rows = await rowsOf<DueClaimRow>(this.db, R.dueClaims(now, limit));
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel, remindDueAt: r.remind_due_at, claimant: r.claimed_by }));
  }

  async dueCallBacks(limit: number): Promise<DueCallBackReminder[]> {
    const rows = await rowsOf<DueCallBackRow>(this.db, R.dueCallBacks(limit));
    return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id, slackChannel: r.slack_channel }));
  }

  async remindClaimer(
    id: string,
    change: { claimant: string; expectedDueAt: number; nextDueAt: number | null; now: number },
    outbox: readonly NewOutboxItem[],
  ): Promise<boolean> {
    return this.queue(id, outbox, change.now, async (c) => (await run(c, R.remindClaimer(id, change))) === 1);
  }

  async remindCallBack(id: string, now: number, outbox: readonly NewOutboxItem[]): Promise<boolean> {
    return this.queue(id, outbox, now, async (c) => (await run(c, R.remindCallBack(id))) === 1);
  }

  async nextDueAt(): Promise<number | null> {
    return (await rowsOf<{ at: number | null }>(this.db, R.nextDueAt()))[0]?.at ?? null;
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
