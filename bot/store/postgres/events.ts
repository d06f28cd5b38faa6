import { rowToEvent, type EventRow } from '../rows.js';
import type { EventRecord } from '../records.js';
import type { EventsRepository, NewEvent } from '../store.js';
import { POSTGRES } from '../sql/dialect.js';
import { eventStatements } from '../sql/events.js';
import { LOCK_NAMESPACE, LOCKS, rowsOf, type Queryable } from './pool.js';

const E = eventStatements(POSTGRES);

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

/** The append-only audit trail on PostgreSQL (statements: ../sql/events.ts); `seq` is the SSE event id. Data holds no personal fields. */
export class PgEvents implements EventsRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends one event; the caller holds the event-order lock (lockEventOrder). */
  async append(db: Queryable, handoffId: string, e: NewEvent): Promise<number> {
    return (await rowsOf<{ seq: number }>(db, E.append(handoffId, e)))[0]!.seq;
  }

  async forHandoff(handoffId: string): Promise<EventRecord[]> {
    return (await rowsOf<EventRow>(this.db, E.forHandoff(handoffId))).map(rowToEvent);
  }

  async after(seq: number, limit = 500): Promise<EventRecord[]> {
    return (await rowsOf<EventRow>(this.db, E.after(seq, limit))).map(rowToEvent);
  }

  async lastSeq(): Promise<number> {
    return (await rowsOf<{ seq: number | null }>(this.db, E.lastSeq()))[0]?.seq ?? 0;
  }

  async latestOfUnresolvedRelevant(upToSeq: number, limit: number, afterSeq = 0): Promise<EventRecord[]> {
    return (await rowsOf<EventRow>(this.db, E.latestOfUnresolvedRelevant(upToSeq, limit, afterSeq))).map(rowToEvent);
  }

  async latestOfResolvedSince(cursor: number, upToSeq: number, limit: number): Promise<EventRecord[]> {
    return (await rowsOf<EventRow>(this.db, E.latestOfResolvedSince(cursor, upToSeq, limit))).map(rowToEvent);
  }
}
