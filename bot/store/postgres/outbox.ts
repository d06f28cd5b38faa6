import type { NewOutboxItem, OutboxRecord } from '../records.js';
import { rowToOutbox, type OutboxRow } from '../rows.js';
import { enqueueOutboxOp } from '../write-ops.js';
import type pg from 'pg';
import { POSTGRES } from '../sql/dialect.js';
import { outboxStatements } from '../sql/outbox.js';
import { inTransaction, LIVENESS_NAMESPACE, q, rowsOf, run, type Queryable } from './pool.js';
import { runWriteOp } from './write-ops.js';

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

/**
 * The outbox on PostgreSQL, shared by every process: `due` lists candidates, and a process delivers a
 * row only after `claim` leased it (FOR UPDATE SKIP LOCKED, then a conditional UPDATE), together with
 * the pace key's next send slot. A lease is good while its owner lives (liveness lock) and for at most
 * `leaseMs`; finishing a row (done, failed, retry later) ends it.
 */
export class PgOutbox {
  private readonly O;

  constructor(
    private readonly db: pg.Pool,
    private readonly ownerId: number,
    private readonly leaseMs = 5 * 60_000,
  ) {
    // Finishing a row (done, failed, retry later, deferred) ends this process's lease on it.
    this.O = outboxStatements(POSTGRES, { available: UNLEASED, release: ', lease_owner = NULL, lease_until = NULL', params: { owner: ownerId } });
  }

  async enqueue(db: Queryable, handoffId: string, items: readonly NewOutboxItem[], now: number): Promise<void> {
    for (const item of items) await runWriteOp(db, enqueueOutboxOp(handoffId, item, now));
  }

  async due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes: readonly string[] = []): Promise<OutboxRecord[]> {
    const keys = [...paceKeys];
    const [unpaced, heads] = await Promise.all([
      rowsOf<OutboxRow>(this.db, this.O.dueUnpaced(now, limit, pausedLanes)),
      keys.length === 0 ? Promise.resolve([] as OutboxRow[]) : rowsOf<OutboxRow>(this.db, this.O.dueHeads(keys, now, pausedLanes)),
    ]);
    return [...unpaced, ...heads].sort((a, b) => a.id - b.id).map(rowToOutbox);
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
    return (await rowsOf<{ pace_key: string }>(this.db, this.O.pendingPaceKeys())).map((r) => r.pace_key);
  }

  async get(id: number): Promise<OutboxRecord | null> {
    const row = (await rowsOf<OutboxRow>(this.db, this.O.get(id)))[0];
    return row ? rowToOutbox(row) : null;
  }

  async forHandoff(handoffId: string): Promise<OutboxRecord[]> {
    return (await rowsOf<OutboxRow>(this.db, this.O.forHandoff(handoffId))).map(rowToOutbox);
  }

  async markDone(id: number, now: number): Promise<void> {
    await run(this.db, this.O.markDone(id, now));
  }

  async markFailed(id: number, now: number, errorCode: string): Promise<void> {
    await run(this.db, this.O.markFailed(id, now, errorCode));
  }

  async retryLater(id: number, at: number, now: number, errorCode: string, countAttempt = true): Promise<void> {
    await run(this.db, this.O.retryLater(id, at, now, errorCode, countAttempt));
  }

  /** Not sent yet, and no attempt made (its slot went to something more useful): look again at `at`. */
  async deferTo(id: number, at: number): Promise<void> {
    await run(this.db, this.O.deferTo(id, at));
  }

  async markAttemptStarted(id: number, now: number): Promise<void> {
    await run(this.db, this.O.markAttemptStarted(id, now));
  }

  async stats(): Promise<{ depth: number; oldestCreatedAt: number | null }> {
    const row = (await rowsOf<{ depth: number; oldest: number | null }>(this.db, this.O.stats()))[0];
    return { depth: row?.depth ?? 0, oldestCreatedAt: row?.oldest ?? null };
  }

  async nextDueAt(): Promise<number | null> {
    return (await rowsOf<{ at: number | null }>(this.db, this.O.nextDueAt()))[0]?.at ?? null;
  }
}
