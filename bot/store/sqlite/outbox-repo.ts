import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import type { OutboxRepository } from '../store.js';
import { enqueueOutboxOp, WRITE_STATEMENTS } from '../write-ops.js';
import type { NewOutboxItem, OutboxRecord } from '../records.js';
import { rowToOutbox, type OutboxRow } from '../rows.js';

/** The durable queue of side effects on SQLite; rows are written in the same transaction as the state change. */
export class SqliteOutbox implements OutboxRepository {
  private readonly dueUnpacedStmt;
  private readonly dueHeadStmt;
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
    // Only the head of each handoff's queue per lane is due: a card update waits for its card, the
    // second callback for the first; an SMS never waits for Slack.
    const head = `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.handoff_id = o.handoff_id AND p.lane = o.lane AND p.status = 'pending' AND p.id < o.id)`;
    this.dueUnpacedStmt = db.prepare<[number, string, number], OutboxRow>(`
      SELECT o.* FROM outbox o INDEXED BY outbox_pending_pace
      WHERE o.status = 'pending' AND o.pace_key IS NULL AND o.next_attempt_at <= ?
        AND o.lane NOT IN (SELECT value FROM json_each(?)) AND ${head}
      ORDER BY o.id LIMIT ?`);
    // Per pace key, only its first sendable row (urgent first, then oldest): a backlog behind a slow
    // channel is never scanned.
    this.dueHeadStmt = db.prepare<[string, number, string], OutboxRow>(`
      SELECT o.* FROM outbox o INDEXED BY outbox_pending_pace_priority
      WHERE o.status = 'pending' AND o.pace_key = ? AND o.next_attempt_at <= ?
        AND o.lane NOT IN (SELECT value FROM json_each(?)) AND ${head}
      ORDER BY o.priority, o.id LIMIT 1`);
  }

  enqueueSync(handoffId: string, items: readonly NewOutboxItem[], now: number): void {
    for (const item of items) this.sql(WRITE_STATEMENTS.enqueueOutbox).run(enqueueOutboxOp(handoffId, item, now).params);
  }

  async due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes: readonly string[] = []): Promise<OutboxRecord[]> {
    const paused = JSON.stringify(pausedLanes);
    const rows = this.dueUnpacedStmt.all(now, paused, limit);
    for (const key of paceKeys) {
      const row = this.dueHeadStmt.get(key, now, paused);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => a.id - b.id).map(rowToOutbox);
  }

  async claim(): Promise<boolean> {
    return true;
  }

  async pendingPaceKeys(): Promise<string[]> {
    return (this.sql("SELECT DISTINCT pace_key FROM outbox WHERE status = 'pending' AND pace_key IS NOT NULL").all() as { pace_key: string }[]).map((r) => r.pace_key);
  }

  async get(id: number): Promise<OutboxRecord | null> {
    const row = this.sql('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? rowToOutbox(row) : null;
  }

  async forHandoff(handoffId: string): Promise<OutboxRecord[]> {
    return (this.sql('SELECT * FROM outbox WHERE handoff_id = ? ORDER BY id').all(handoffId) as OutboxRow[]).map(rowToOutbox);
  }

  async markDone(id: number, now: number): Promise<void> {
    this.sql("UPDATE outbox SET status = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(now, id);
  }

  async markFailed(id: number, now: number, errorCode: string): Promise<void> {
    this.sql("UPDATE outbox SET status = 'failed', done_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?").run(now, errorCode, id);
  }

  async retryLater(id: number, at: number, now: number, errorCode: string, countAttempt = true): Promise<void> {
    this.sql(
      'UPDATE outbox SET next_attempt_at = ?, attempts = attempts + ?, last_error = ?, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?',
    ).run(at, countAttempt ? 1 : 0, errorCode, now, id);
  }

  async deferTo(id: number, at: number): Promise<void> {
    this.sql('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(at, id);
  }

  async markAttemptStarted(id: number, now: number): Promise<void> {
    this.sql('UPDATE outbox SET first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?').run(now, id);
  }

  async stats(): Promise<{ depth: number; oldestCreatedAt: number | null }> {
    const row = this.sql("SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'").get() as { depth: number; oldest: number | null };
    return { depth: row.depth, oldestCreatedAt: row.oldest };
  }

  async nextDueAt(): Promise<number | null> {
    return (this.sql("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'").get() as { at: number | null }).at;
  }
}
