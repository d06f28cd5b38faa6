import type { Db } from './db.js';
import type { EventRecord } from '../records.js';
import { rowToEvent, type EventRow } from '../rows.js';
import { statementCache } from './statement-cache.js';
import type { EventsRepository, NewEvent } from '../store.js';
import { appendEventOp, WRITE_STATEMENTS } from '../write-ops.js';

/** isDesktopRelevant (bot/desktop-api/handoff-view.ts) as SQL over `handoffs h`; keep the two in step. */
const RELEVANT_SQL = `(h.severity = 'urgent' OR h.escalation_level > 0
  OR EXISTS (SELECT 1 FROM json_each(h.owner_notified) WHERE json_each.value = 'desktop'))`;

/** The append-only audit trail on SQLite; `seq` is monotonic and is the SSE event id. Data holds no personal fields. */
export class SqliteEvents implements EventsRepository {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  appendSync(handoffId: string, e: NewEvent): number {
    return Number(this.sql(WRITE_STATEMENTS.appendEvent).run(appendEventOp(handoffId, e.type, e.actor, e.at, e.data).params).lastInsertRowid);
  }

  async forHandoff(handoffId: string): Promise<EventRecord[]> {
    return (this.sql('SELECT * FROM events WHERE handoff_id = ? ORDER BY seq').all(handoffId) as EventRow[]).map(rowToEvent);
  }

  async after(seq: number, limit = 500): Promise<EventRecord[]> {
    return (this.sql('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as EventRow[]).map(rowToEvent);
  }

  async lastSeq(): Promise<number> {
    return (this.sql('SELECT MAX(seq) AS seq FROM events').get() as { seq: number | null }).seq ?? 0;
  }

  async latestOfUnresolvedRelevant(upToSeq: number, limit: number, afterSeq = 0): Promise<EventRecord[]> {
    const rows = this.sql(
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status IN ('open', 'claimed') AND ev.seq <= ? AND ${RELEVANT_SQL}
             GROUP BY h.id) latest ON latest.seq = e.seq
       WHERE e.seq > ?
       ORDER BY e.seq LIMIT ?`,
    ).all(upToSeq, afterSeq, limit) as EventRow[];
    return rows.map(rowToEvent);
  }

  async latestOfResolvedSince(cursor: number, upToSeq: number, limit: number): Promise<EventRecord[]> {
    // Bounded by the handoffs open at the cursor, not by the length of the log.
    const rows = this.sql(
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h
               JOIN events r ON r.handoff_id = h.id AND r.type = 'handoff.resolved' AND r.seq > ? AND r.seq <= ?
               JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status = 'resolved' AND ev.seq <= ? AND ${RELEVANT_SQL}
               AND EXISTS (SELECT 1 FROM events old WHERE old.handoff_id = h.id AND old.seq <= ?)
             GROUP BY h.id) latest ON latest.seq = e.seq
       ORDER BY e.seq LIMIT ?`,
    ).all(cursor, upToSeq, upToSeq, cursor, limit) as EventRow[];
    return rows.map(rowToEvent);
  }
}
