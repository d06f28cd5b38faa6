import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow as Row } from '../rows.js';
import { POSTGRES, type Bound } from '../sql/dialect.js';
import { handoffStatements } from '../sql/handoffs.js';
import type { CallUpdate } from '../store.js';
import { q, type Queryable } from './pool.js';

const H = handoffStatements(POSTGRES);

/**
 * The handoffs table on PostgreSQL (statements: ../sql/handoffs.ts): each state change is one
 * conditional UPDATE ... RETURNING, so concurrent changes from any number of processes have one winner
 * (READ COMMITTED re-checks the condition on the row a concurrent winner committed). Run inside
 * PostgresStore's transaction.
 */
export class PgHandoffRows {
  private async one(db: Queryable, b: Bound): Promise<HandoffRecord | null> {
    const { rows } = await q<Row>(db, b.text, b.params);
    return rows[0] ? rowToHandoff(rows[0]) : null;
  }

  private async run(db: Queryable, b: Bound): Promise<number> {
    return (await q(db, b.text, b.params)).rowCount ?? 0;
  }

  get(db: Queryable, id: string, forUpdate = false): Promise<HandoffRecord | null> {
    return this.one(db, H.get(id, forUpdate));
  }

  claim(db: Queryable, id: string, c: { who: string; now: number; remindDueAt?: number | null }): Promise<HandoffRecord | null> {
    return this.one(db, H.claim(id, c));
  }

  release(db: Queryable, id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Promise<HandoffRecord | null> {
    return this.one(db, H.release(id, c));
  }

  reopen(db: Queryable, id: string, c: { who: string; now: number; dueAt: number | null; version: number }): Promise<HandoffRecord | null> {
    return this.one(db, H.reopen(id, c));
  }

  escalate(
    db: Queryable,
    id: string,
    c: { who: string; now: number; severity: string; dueAt: number | null; version: number; expectedDueAt: number | null },
  ): Promise<HandoffRecord | null> {
    return this.one(db, H.escalate(id, c));
  }

  async clearDue(db: Queryable, id: string, expectedDueAt: number): Promise<boolean> {
    return (await this.run(db, H.clearDue(id, expectedDueAt))) === 1;
  }

  callBack(db: Queryable, id: string, c: { who: string; now: number; remindDueAt?: number | null; quietSince: number }): Promise<HandoffRecord | null> {
    return this.one(db, H.callBack(id, c));
  }

  resolve(db: Queryable, id: string, c: { who: string; now: number; outcome: string }): Promise<HandoffRecord | null> {
    return this.one(db, H.resolve(id, c));
  }

  recordOutcome(db: Queryable, id: string, c: { outcome: string }): Promise<HandoffRecord | null> {
    return this.one(db, H.recordOutcome(id, c));
  }

  touch(db: Queryable, id: string): Promise<HandoffRecord | null> {
    return this.one(db, H.touch(id));
  }

  applyCallUpdate(db: Queryable, id: string, expectedVersion: number, u: CallUpdate): Promise<HandoffRecord | null> {
    return this.one(db, H.applyCallUpdate(id, expectedVersion, u));
  }

  markCallEnded(db: Queryable, id: string, summary: string | null, now: number): Promise<HandoffRecord | null> {
    return this.one(db, H.markCallEnded(id, summary, now));
  }

  async setSlackCard(db: Queryable, id: string, channel: string, ts: string, version: number): Promise<void> {
    await this.run(db, H.setSlackCard(id, channel, ts, version));
  }

  async recordCardVersion(db: Queryable, id: string, version: number): Promise<void> {
    await this.run(db, H.recordCardVersion(id, version));
  }

  async setSlackPermalink(db: Queryable, id: string, permalink: string): Promise<void> {
    await this.run(db, H.setSlackPermalink(id, permalink));
  }

  async disableCallbacks(db: Queryable, id: string, reason: string): Promise<void> {
    await this.run(db, H.disableCallbacks(id, reason));
  }

  async dueForEscalation(db: Queryable, now: number, limit: number): Promise<{ id: string; escalateDueAt: number }[]> {
    const b = H.dueForEscalation(now, limit);
    const { rows } = await q<{ id: string; escalate_due_at: number }>(db, b.text, b.params);
    return rows.map((r) => ({ id: r.id, escalateDueAt: r.escalate_due_at }));
  }

  async nextEscalationDueAt(db: Queryable): Promise<number | null> {
    const b = H.nextEscalationDueAt();
    return (await q<{ at: number | null }>(db, b.text, b.params)).rows[0]?.at ?? null;
  }
}
