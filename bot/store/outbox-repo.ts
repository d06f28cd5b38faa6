import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import { enqueueOutboxOp, WRITE_STATEMENTS } from './write-ops.js';

export { laneOf } from './write-ops.js';
import type { NewOutboxItem, OutboxKind, OutboxRecord } from './records.js';

interface OutboxRow {
  id: number;
  handoff_id: string;
  kind: string;
  payload: string;
  pace_key: string | null;
  priority: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  first_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

function rowToOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    handoffId: r.handoff_id,
    kind: r.kind as OutboxKind,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    paceKey: r.pace_key,
    priority: r.priority,
    status: r.status as OutboxRecord['status'],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    firstAttemptAt: r.first_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    doneAt: r.done_at,
  };
}

/** The durable queue of side effects; rows are written in the same transaction as the state change. */
export class OutboxRepo {
  private readonly insertStmt;
  private readonly dueUnpacedStmt;
  private readonly dueHeadStmt;
  private readonly paceKeysStmt;
  private readonly getStmt;
  private readonly statsStmt;
  private readonly nextDueStmt;

  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
    this.insertStmt = db.prepare(WRITE_STATEMENTS.enqueueOutbox);
    // The head of each handoff's queue per lane only: a card update waits for the card, the second
    // callback for the first; an SMS never waits for Slack.
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
    this.paceKeysStmt = db.prepare<[], { pace_key: string }>("SELECT DISTINCT pace_key FROM outbox WHERE status = 'pending' AND pace_key IS NOT NULL");
    this.getStmt = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
    this.statsStmt = db.prepare<[], { depth: number; oldest: number | null }>(
      "SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'",
    );
    this.nextDueStmt = db.prepare<[], { at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'");
  }

  /** Called with the pace key of every row written (the worker keeps the set of keys to look at). */
  onPaceKey: ((key: string) => void) | null = null;

  enqueue(handoffId: string, items: readonly NewOutboxItem[], now: number): void {
    for (const item of items) {
      if (item.paceKey) this.onPaceKey?.(item.paceKey);
      this.insertStmt.run(enqueueOutboxOp(handoffId, item, now).params);
    }
  }

  /**
   * Rows ready to send: unpaced ones oldest first, plus the oldest sendable row of each given pace key
   * (the worker passes the keys whose pacing gap has passed). Rows of paused lanes are skipped.
   */
  due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes: readonly string[] = []): OutboxRecord[] {
    const paused = JSON.stringify(pausedLanes);
    const rows = this.dueUnpacedStmt.all(now, paused, limit);
    for (const key of paceKeys) {
      const row = this.dueHeadStmt.get(key, now, paused);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => a.id - b.id).map(rowToOutbox);
  }

  /** Pace keys with pending rows (read once at start; later ones are announced by `enqueue`). */
  pendingPaceKeys(): string[] {
    return this.paceKeysStmt.all().map((r) => r.pace_key);
  }

  get(id: number): OutboxRecord | null {
    const row = this.getStmt.get(id);
    return row ? rowToOutbox(row) : null;
  }

  markDone(id: number, now: number): void {
    this.sql("UPDATE outbox SET status = 'done', done_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(now, id);
  }

  markFailed(id: number, now: number, errorCode: string): void {
    this.sql("UPDATE outbox SET status = 'failed', done_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?").run(now, errorCode, id);
  }

  retryLater(id: number, at: number, now: number, errorCode: string, countAttempt = true): void {
    this.sql(
      'UPDATE outbox SET next_attempt_at = ?, attempts = attempts + ?, last_error = ?, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?',
    ).run(at, countAttempt ? 1 : 0, errorCode, now, id);
  }

  /** Not sent yet, and no attempt made (its slot went to something more useful): look again at `at`. */
  deferTo(id: number, at: number): void {
    this.sql('UPDATE outbox SET next_attempt_at = ? WHERE id = ?').run(at, id);
  }

  /** Records the first attempt time before a call is made (used for 24 h give-up windows). */
  markAttemptStarted(id: number, now: number): void {
    this.sql('UPDATE outbox SET first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ?').run(now, id);
  }

  stats(): { depth: number; oldestCreatedAt: number | null } {
    const row = this.statsStmt.get();
    return { depth: row?.depth ?? 0, oldestCreatedAt: row?.oldest ?? null };
  }

  nextDueAt(): number | null {
    return this.nextDueStmt.get()?.at ?? null;
  }

  forHandoff(handoffId: string): OutboxRecord[] {
    return (this.sql('SELECT * FROM outbox WHERE handoff_id = ? ORDER BY id').all(handoffId) as OutboxRow[]).map(rowToOutbox);
  }
}
