import type { Db } from './db.js';
import { BoundRunner } from './statement-cache.js';
import type { HandoffRecord } from '../records.js';
import { rowToHandoff, type HandoffRow } from '../rows.js';
import { SQLITE, type Bound } from '../sql/dialect.js';
import { handoffStatements } from '../sql/handoffs.js';
import type { CallUpdate } from '../store.js';

const H = handoffStatements(SQLITE);

/** The handoffs table on SQLite (statements: ../sql/handoffs.ts). State changes run inside SqliteStore's transaction (sqlite-store.ts). */
export class SqliteHandoffs {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  private one(b: Bound): HandoffRecord | null {
    const row = this.run.get<HandoffRow>(b);
    return row ? rowToHandoff(row) : null;
  }

  getSync(id: string): HandoffRecord | null {
    return this.one(H.get(id));
  }

  claim(id: string, c: { who: string; now: number; remindDueAt?: number | null }): HandoffRecord | null {
    return this.one(H.claim(id, c));
  }

  release(id: string, c: { who: string; now: number; dueAt: number | null; version: number }): HandoffRecord | null {
    return this.one(H.release(id, c));
  }

  reopen(id: string, c: { who: string; now: number; dueAt: number | null; version: number }): HandoffRecord | null {
    return this.one(H.reopen(id, c));
  }

  escalate(id: string, c: { who: string; now: number; severity: string; dueAt: number | null; version: number; expectedDueAt: number | null }): HandoffRecord | null {
    return this.one(H.escalate(id, c));
  }

  clearDue(id: string, expectedDueAt: number): void {
    this.run.run(H.clearDue(id, expectedDueAt));
  }

  callBack(id: string, c: { who: string; now: number; remindDueAt?: number | null; quietSince: number }): HandoffRecord | null {
    return this.one(H.callBack(id, c));
  }

  resolve(id: string, c: { who: string; now: number; outcome: string }): HandoffRecord | null {
    return this.one(H.resolve(id, c));
  }

  recordOutcome(id: string, c: { outcome: string }): HandoffRecord | null {
    return this.one(H.recordOutcome(id, c));
  }

  touch(id: string): HandoffRecord | null {
    return this.one(H.touch(id));
  }

  applyCallUpdate(id: string, expectedVersion: number, u: CallUpdate): HandoffRecord | null {
    return this.one(H.applyCallUpdate(id, expectedVersion, u));
  }

  markCallEnded(id: string, summary: string | null, now: number): HandoffRecord | null {
    return this.one(H.markCallEnded(id, summary, now));
  }

  setSlackCard(id: string, channel: string, ts: string, version: number): void {
    this.run.run(H.setSlackCard(id, channel, ts, version));
  }

  recordCardVersion(id: string, version: number): void {
    this.run.run(H.recordCardVersion(id, version));
  }

  setSlackPermalink(id: string, permalink: string): void {
    this.run.run(H.setSlackPermalink(id, permalink));
  }

  disableCallbacks(id: string, reason: string): void {
    this.run.run(H.disableCallbacks(id, reason));
  }

  dueForEscalation(now: number, limit: number): { id: string; escalateDueAt: number }[] {
    return this.run.all<{ id: string; escalate_due_at: number }>(H.dueForEscalation(now, limit)).map((r) => ({ id: r.id, escalateDueAt: r.escalate_due_at }));
  }

  nextEscalationDueAt(): number | null {
    return this.run.get<{ at: number | null }>(H.nextEscalationDueAt())?.at ?? null;
  }
}
