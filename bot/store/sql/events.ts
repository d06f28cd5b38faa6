import type { NewEvent } from '../store.js';
import type { Bound, Dialect } from './dialect.js';

/** The append-only event log, one text for both engines; `seq` is the SSE event id. */
export function eventStatements(d: Dialect) {
  /** isDesktopRelevant (bot/desktop-api/handoff-view.ts) as SQL over `handoffs h`; keep the two in step. */
  const relevant = `(h.severity = 'urgent' OR h.escalation_level > 0 OR ${d.jsonArrayHas('h.owner_notified', 'desktop')})`;
  return {
    /** One row: seq. */
    append: (handoffId: string, e: NewEvent): Bound => ({
      text: 'INSERT INTO events (handoff_id, type, actor, at, data) VALUES (@handoffId, @type, @actor, @at, @data) RETURNING seq',
      params: { handoffId, type: e.type, actor: e.actor, at: e.at, data: JSON.stringify(e.data ?? {}) },
    }),
    forHandoff: (handoffId: string): Bound => ({ text: 'SELECT * FROM events WHERE handoff_id = @handoffId ORDER BY seq', params: { handoffId } }),
    after: (seq: number, limit: number): Bound => ({ text: 'SELECT * FROM events WHERE seq > @seq ORDER BY seq LIMIT @limit', params: { seq, limit } }),
    /** One row: seq. */
    lastSeq: (): Bound => ({ text: 'SELECT MAX(seq) AS seq FROM events', params: {} }),
    latestOfUnresolvedRelevant: (upToSeq: number, limit: number, afterSeq: number): Bound => ({
      text: `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status IN ('open', 'claimed') AND ev.seq <= @upToSeq AND ${relevant}
             GROUP BY h.id) latest ON latest.seq = e.seq
       WHERE e.seq > @afterSeq
       ORDER BY e.seq LIMIT @limit`,
      params: { upToSeq, afterSeq, limit },
    }),
    /** Bounded by the handoffs open at the cursor, not by the length of the log. */
    latestOfResolvedSince: (cursor: number, upToSeq: number, limit: number): Bound => ({
      text: `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h
               JOIN events r ON r.handoff_id = h.id AND r.type = 'handoff.resolved' AND r.seq > @cursor AND r.seq <= @upToSeq
               JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status = 'resolved' AND ev.seq <= @upToSeq AND ${relevant}
               AND EXISTS (SELECT 1 FROM events old WHERE old.handoff_id = h.id AND old.seq <= @cursor)
             GROUP BY h.id) latest ON latest.seq = e.seq
       ORDER BY e.seq LIMIT @limit`,
      params: { cursor, upToSeq, limit },
    }),
  };
}
