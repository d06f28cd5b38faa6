import type { Db } from './db.js';
import { SQLITE } from '../sql/dialect.js';
import { outboxStatements } from '../sql/outbox.js';
import { BoundRunner, statementCache } from './statement-cache.js';
import type { OutboxRepository } from '../store.js';
import { enqueueOutboxOp, WRITE_STATEMENTS } from '../write-ops.js';
import type { NewOutboxItem, OutboxRecord } from '../records.js';
import { rowToOutbox, type OutboxRow } from '../rows.js';

const O = outboxStatements(SQLITE, { available: null, release: '', params: {} });

/** The durable queue of side effects on SQLite (statements: ../sql/outbox.ts); rows are written in the same transaction as the state change. */
export class SqliteOutbox implements OutboxRepository {
  private readonly run;
  private readonly sql;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
    this.sql = statementCache(db);
  }

  enqueueSync(handoffId: string, items: readonly NewOutboxItem[], now: number): void {
    for (const item of items) this.sql(WRITE_STATEMENTS.enqueueOutbox).run(enqueueOutboxOp(handoffId, item, now).params);
  }

  async due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes: readonly string[] = []): Promise<OutboxRecord[]> {
    const rows = this.run.all<OutboxRow>(O.dueUnpaced(now, limit, pausedLanes));
    for (const key of paceKeys) {
      const row = this.run.get<OutboxRow>(O.dueHead(key, now, pausedLanes));
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => a.id - b.id).map(rowToOutbox);
  }

  async claim(): Promise<boolean> {
    return true;
  }

  async pendingPaceKeys(): Promise<string[]> {
    return this.run.all<{ pace_key: string }>(O.pendingPaceKeys()).map((r) => r.pace_key);
  }

  async get(id: number): Promise<OutboxRecord | null> {
    const row = this.run.get<OutboxRow>(O.get(id));
    return row ? rowToOutbox(row) : null;
  }

  async forHandoff(handoffId: string): Promise<OutboxRecord[]> {
    return this.run.all<OutboxRow>(O.forHandoff(handoffId)).map(rowToOutbox);
  }

  async markDone(id: number, now: number): Promise<void> {
    this.run.run(O.markDone(id, now));
  }

  async markFailed(id: number, now: number, errorCode: string): Promise<void> {
    this.run.run(O.markFailed(id, now, errorCode));
  }

  async retryLater(id: number, at: number, now: number, errorCode: string, countAttempt = true): Promise<void> {
    this.run.run(O.retryLater(id, at, now, errorCode, countAttempt));
  }

  async deferTo(id: number, at: number): Promise<void> {
    this.run.run(O.deferTo(id, at));
  }

  async markAttemptStarted(id: number, now: number): Promise<void> {
    this.run.run(O.markAttemptStarted(id, now));
  }

  async stats(): Promise<{ depth: number; oldestCreatedAt: number | null }> {
    const row = this.run.get<{ depth: number; oldest: number | null }>(O.stats())!;
    return { depth: row.depth, oldestCreatedAt: row.oldest };
  }

  async nextDueAt(): Promise<number | null> {
    return this.run.get<{ at: number | null }>(O.nextDueAt())?.at ?? null;
  }
}
