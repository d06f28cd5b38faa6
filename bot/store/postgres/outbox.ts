import type { NewOutboxItem, OutboxRecord } from '../records.js';
import { rowToOutbox, type OutboxRow } from '../rows.js';
import { enqueueOutboxOp } from '../write-ops.js';
import type pg from 'pg';
import { inTransaction, LIVENESS_NAMESPACE, q, type Queryable } from './pool.js';
import { runWriteOp } from './write-ops.js';

const COLUMNS = 'o.id, o.handoff_id, o.kind, o.payload, o.pace_key, o.priority, o.status, o.attempts, o.next_attempt_at, o.first_attempt_at, o.last_error, o.created_at, o.done_at';

/** Rolls the claim's transaction back (the pace slot with it) when the row was not ours to take. */
class NotClaimed extends Error {}

/** Owners whose process still lives: each holds its liveness lock on its listening connection. */
const LIVE_OWNERS = `SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = ${LIVENESS_NAMESPACE}::oid AND objsubid = 2 AND granted`;

/**
 * A row nobody else is delivering: never leased, its lease lapsed, its owner's process is gone, or it is
 * ours (a lease whose release was lost with the database: the worker's in-flight set says whether we
 * are still at it).
 */
const UNLEASED = `(o.lease_owner IS NULL OR o.lease_owner = @owner OR o.lease_until <= @now OR o.lease_owner NOT IN (${LIVE_OWNERS}))`;

/** Only the head of each handoff's queue per lane is due: a card update waits for its card, the second callback for the first. */
const HEAD = `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.handoff_id = o.handoff_id AND p.lane = o.lane AND p.status = 'pending' AND p.id < o.id)`;

/**
 * The outbox on PostgreSQL, shared by every process: `due` lists candidates, and a process delivers a
 * row only after `claim` leased it (FOR UPDATE SKIP LOCKED, then a conditional UPDATE), together with
 * the pace key's next send slot. A lease is good while its owner lives (liveness lock) and for at most
 * `leaseMs`; finishing a row (done, failed, retry later) ends it.
 */
export class PgOutbox {
  constructor(
    private readonly db: pg.Pool,
    private readonly ownerId: number,
    private readonly leaseMs = 5 * 60_000,
  ) {}

  async enqueue(db: Queryable, handoffId: string, items: readonly NewOutboxItem[], now: number): Promise<void> {
    for (const item of items) await runWriteOp(db, enqueueOutboxOp(handoffId, item, now));
  }

  async due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes: readonly string[] = []): Promise<OutboxRecord[]> {
    const params = { now, limit, paused: [...pausedLanes], owner: this.ownerId };
    const unpaced = q<OutboxRow>(
      this.db,
      `SELECT ${COLUMNS} FROM outbox o
       WHERE o.status = 'pending' AND o.pace_key IS NULL AND o.next_attempt_at <= @now
         AND o.lane <> ALL (@paused::text[]) AND ${UNLEASED} AND ${HEAD}
       ORDER BY o.id LIMIT @limit`,
      params,
    );
    const keys = [...paceKeys];
    // Per pace key, its first sendable row only (urgent first, then oldest): a backlog is never scanned.
    const heads =
      keys.length === 0
        ? Promise.resolve({ rows: [] as OutboxRow[] })
        : q<OutboxRow>(
            this.db,
            `SELECT h.* FROM unnest(@keys::text[]) AS k(pace_key)
             CROSS JOIN LATERAL (
               SELECT ${COLUMNS} FROM outbox o
               WHERE o.status = 'pending' AND o.pace_key = k.pace_key AND o.next_attempt_at <= @now
                 AND o.lane <> ALL (@paused::text[]) AND ${UNLEASED} AND ${HEAD}
               ORDER BY o.priority, o.id LIMIT 1) h`,
            { now, paused: params.paused, keys, owner: this.ownerId },
          );
    const [a, b] = await Promise.all([unpaced, heads]);
    const rows = [...a.rows, ...b.rows];
    return rows.sort((a, b) => a.id - b.id).map(rowToOutbox);
  }

  /**
   * Leases a due row for this process; with a pace key, also takes that key's send slot (`paceMs` from
   * now) in the same transaction. False when another process holds the row or the slot is not free yet.
   */
  async claim(id: number, paceKey: string | null, now: number, paceMs: number): Promise<boolean> {
    try {
      return await inTransaction(this.db, (c) => this.claimIn(c, id, paceKey, now, paceMs));
    } catch (err) {
      if (err instanceof NotClaimed) return false;
      throw err;
    }
  }

  private async claimIn(db: Queryable, id: number, paceKey: string | null, now: number, paceMs: number): Promise<boolean> {
    if (paceKey !== null) {
      const slot = await q(
        db,
        `INSERT INTO pace_slots (pace_key, next_at) VALUES (@paceKey, @next)
         ON CONFLICT (pace_key) DO UPDATE SET next_at = EXCLUDED.next_at WHERE pace_slots.next_at <= @now`,
        { paceKey, next: now + paceMs, now },
      );
      if (slot.rowCount !== 1) return false;
    }
    // A slot taken for a row another process got first is given back by the rollback below.
    const leased = await q(
      db,
      `UPDATE outbox SET lease_owner = @owner, lease_until = @until
       WHERE id = (SELECT o.id FROM outbox o WHERE o.id = @id AND o.status = 'pending' AND o.next_attempt_at <= @now AND ${UNLEASED}
                   FOR UPDATE SKIP LOCKED)`,
      { id, now, owner: this.ownerId, until: now + this.leaseMs },
    );
    if (leased.rowCount !== 1) throw new NotClaimed();
    return true;
  }

  async pendingPaceKeys(): Promise<string[]> {
    const { rows } = await this.db.query<{ pace_key: string }>("SELECT DISTINCT pace_key FROM outbox WHERE status = 'pending' AND pace_key IS NOT NULL");
    return rows.map((r) => r.pace_key);
  }

  async get(id: number): Promise<OutboxRecord | null> {
    const { rows } = await q<OutboxRow>(this.db, `SELECT ${COLUMNS} FROM outbox o WHERE o.id = @id`, { id });
    return rows[0] ? rowToOutbox(rows[0]) : null;
  }

  async forHandoff(handoffId: string): Promise<OutboxRecord[]> {
    return (await q<OutboxRow>(this.db, `SELECT ${COLUMNS} FROM outbox o WHERE o.handoff_id = @handoffId ORDER BY o.id`, { handoffId })).rows.map(rowToOutbox);
  }

  async markDone(id: number, now: number): Promise<void> {
    await q(this.db, "UPDATE outbox SET status = 'done', done_at = @now, attempts = attempts + 1, last_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = @id", { id, now });
  }

  async markFailed(id: number, now: number, errorCode: string): Promise<void> {
    await q(
      this.db,
      "UPDATE outbox SET status = 'failed', done_at = @now, attempts = attempts + 1, last_error = @errorCode, lease_owner = NULL, lease_until = NULL WHERE id = @id",
      { id, now, errorCode },
    );
  }

  async retryLater(id: number, at: number, now: number, errorCode: string, countAttempt = true): Promise<void> {
    await q(
      this.db,
      `UPDATE outbox SET next_attempt_at = @at, attempts = attempts + @inc, last_error = @errorCode, first_attempt_at = COALESCE(first_attempt_at, @now),
         lease_owner = NULL, lease_until = NULL WHERE id = @id`,
      { id, at, now, errorCode, inc: countAttempt ? 1 : 0 },
    );
  }

  /** Not sent yet, and no attempt made (its slot went to something more useful): look again at `at`. */
  async deferTo(id: number, at: number): Promise<void> {
    await q(this.db, 'UPDATE outbox SET next_attempt_at = @at, lease_owner = NULL, lease_until = NULL WHERE id = @id', { id, at });
  }

  async markAttemptStarted(id: number, now: number): Promise<void> {
    await q(this.db, 'UPDATE outbox SET first_attempt_at = COALESCE(first_attempt_at, @now) WHERE id = @id', { id, now });
  }

  async stats(): Promise<{ depth: number; oldestCreatedAt: number | null }> {
    const { rows } = await this.db.query<{ depth: number; oldest: number | null }>("SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'");
    return { depth: rows[0]?.depth ?? 0, oldestCreatedAt: rows[0]?.oldest ?? null };
  }

  async nextDueAt(): Promise<number | null> {
    const { rows } = await this.db.query<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'");
    return rows[0]?.at ?? null;
  }
}
