import { rowToEvent, type EventRow } from '../rows.js';
import type { EventRecord } from '../records.js';
import type { EventsRepository, NewEvent } from '../store.js';
import { LOCK_NAMESPACE, LOCKS, q, type Queryable } from './pool.js';

/** isDesktopRelevant (bot/desktop-api/handoff-view.ts) as SQL over `handoffs h`; keep the two in step. */
const RELEVANT_SQL = `(h.severity = 'urgent' OR h.escalation_level > 0 OR h.owner_notified::jsonb @> '["desktop"]'::jsonb)`;

/**
 * Takes the event-order lock for the rest of the transaction. A sequence hands out numbers when rows
 * are inserted, not when they commit: without this, a reader could see seq 11 committed before seq 10
 * and move its cursor past 10 for good. Holding one lock from the first event insert to the commit
 * makes seq order commit order, so "every event after my cursor" never skips one. Taken last in each
 * transaction, it is held only for the inserts of the events and the commit.
 */
export async function lockEventOrder(db: Queryable): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.eventOrder]);
}

/** The append-only audit trail on PostgreSQL; `seq` is the SSE event id. Data holds no personal fields. */
export class PgEvents implements EventsRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends one event; the caller holds the event-order lock (lockEventOrder). */
  async append(db: Queryable, handoffId: string, e: NewEvent): Promise<number> {
    const { rows } = await q<{ seq: number }>(db, 'INSERT INTO events (handoff_id, type, actor, at, data) VALUES (@handoffId, @type, @actor, @at, @data) RETURNING seq', {
      handoffId,
      type: e.type,
      actor: e.actor,
      at: e.at,
      data: JSON.stringify(e.data ?? {}),
    });
    return rows[0]!.seq;
  }

  async forHandoff(handoffId: string): Promise<EventRecord[]> {
    return (await q<EventRow>(this.db, 'SELECT * FROM events WHERE handoff_id = @handoffId ORDER BY seq', { handoffId })).rows.map(rowToEvent);
  }

  async after(seq: number, limit = 500): Promise<EventRecord[]> {
    return (await q<EventRow>(this.db, 'SELECT * FROM events WHERE seq > @seq ORDER BY seq LIMIT @limit', { seq, limit })).rows.map(rowToEvent);
  }

  async lastSeq(): Promise<number> {
    return (await this.db.query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events')).rows[0]?.seq ?? 0;
  }

  async latestOfUnresolvedRelevant(upToSeq: number, limit: number, afterSeq = 0): Promise<EventRecord[]> {
    const { rows } = await q<EventRow>(
      this.db,
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status IN ('open', 'claimed') AND ev.seq <= @upToSeq AND ${RELEVANT_SQL}
             GROUP BY h.id) latest ON latest.seq = e.seq
       WHERE e.seq > @afterSeq
       ORDER BY e.seq LIMIT @limit`,
      { upToSeq, afterSeq, limit },
    );
    return rows.map(rowToEvent);
  }

  async latestOfResolvedSince(cursor: number, upToSeq: number, limit: number): Promise<EventRecord[]> {
    const { rows } = await q<EventRow>(
      this.db,
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h
               JOIN events r ON r.handoff_id = h.id AND r.type = 'handoff.resolved' AND r.seq > @cursor AND r.seq <= @upToSeq
               JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status = 'resolved' AND ev.seq <= @upToSeq AND ${RELEVANT_SQL}
               AND EXISTS (SELECT 1 FROM events old WHERE old.handoff_id = h.id AND old.seq <= @cursor)
             GROUP BY h.id) latest ON latest.seq = e.seq
       ORDER BY e.seq LIMIT @limit`,
      { cursor, upToSeq, limit },
    );
    return rows.map(rowToEvent);
  }
}
