import type { EventType } from '../../shared/schemas/enums.js';
import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import type { HandoffConfig } from '../config/load-config.js';
import type { HandoffRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { isDesktopRelevant, toHandoffEvent } from './handoff-view.js';

export interface FeedBatch {
  /** The desktop-relevant events among the scanned ones, in seq order. */
  events: HandoffEvent[];
  /** The highest seq scanned (relevant or not); the next read starts after it. */
  scannedTo: number;
  /** True when the log ended within this batch. */
  done: boolean;
}

/**
 * Reads the event log after `afterSeq` and keeps the events whose handoff is now desktop-relevant
 * (isDesktopRelevant), each with the handoff's current view. Handoffs are read once per batch.
 */
export function readFeed(store: Store, config: HandoffConfig, afterSeq: number, limit = 500): FeedBatch {
  const rows = store.events.after(afterSeq, limit);
  const handoffs = new Map<string, HandoffRecord | null>();
  const events: HandoffEvent[] = [];
  for (const e of rows) {
    let h = handoffs.get(e.handoffId);
    if (h === undefined) {
      h = store.handoffs.get(e.handoffId);
      handoffs.set(e.handoffId, h);
    }
    if (h && isDesktopRelevant(h)) events.push(toHandoffEvent(e, h, config.workflows.get(h.workflowId)));
  }
  return { events, scannedTo: rows.at(-1)?.seq ?? afterSeq, done: rows.length < limit };
}

interface LatestRow {
  seq: number;
  handoff_id: string;
  type: string;
  actor: string | null;
  at: number;
}

/** isDesktopRelevant as SQL over `handoffs h`; keep the two in step. */
const RELEVANT_SQL = `(h.severity = 'urgent' OR h.escalation_level > 0
  OR EXISTS (SELECT 1 FROM json_each(h.owner_notified) WHERE json_each.value = 'desktop'))`;

/**
 * What a desktop connecting without `Last-Event-ID` needs to mirror: the latest event of every
 * unresolved desktop-relevant handoff (up to `upToSeq`), oldest first; `afterSeq` pages through it.
 */
export function readSnapshot(store: Store, config: HandoffConfig, upToSeq: number, limit = 1000, afterSeq = 0): HandoffEvent[] {
  const rows = store.db
    .prepare<[number, number, number], LatestRow>(
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status IN ('open', 'claimed') AND ev.seq <= ? AND ${RELEVANT_SQL}
             GROUP BY h.id) latest ON latest.seq = e.seq
       WHERE e.seq > ?
       ORDER BY e.seq LIMIT ?`,
    )
    .all(upToSeq, afterSeq, limit);
  return toEvents(store, config, rows);
}

/**
 * The resolutions a desktop at `cursor` has not seen: the latest event of every desktop-relevant
 * handoff that already had an event at or before `cursor` (so the desktop may show it as open) and
 * was resolved after it. Bounded by the handoffs open at the cursor, not by the length of the log.
 */
export function readResolvedSince(store: Store, config: HandoffConfig, cursor: number, upToSeq: number, limit = 1000): HandoffEvent[] {
  const rows = store.db
    .prepare<[number, number, number, number, number], LatestRow>(
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h
               JOIN events r ON r.handoff_id = h.id AND r.type = 'handoff.resolved' AND r.seq > ? AND r.seq <= ?
               JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status = 'resolved' AND ev.seq <= ? AND ${RELEVANT_SQL}
               AND EXISTS (SELECT 1 FROM events old WHERE old.handoff_id = h.id AND old.seq <= ?)
             GROUP BY h.id) latest ON latest.seq = e.seq
       ORDER BY e.seq LIMIT ?`,
    )
    .all(cursor, upToSeq, upToSeq, cursor, limit);
  return toEvents(store, config, rows);
}

function toEvents(store: Store, config: HandoffConfig, rows: LatestRow[]): HandoffEvent[] {
  const out: HandoffEvent[] = [];
  for (const r of rows) {
    const h = store.handoffs.get(r.handoff_id);
    if (!h) continue;
    const event = { seq: r.seq, handoffId: r.handoff_id, type: r.type as EventType, actor: r.actor, at: r.at, data: {} };
    out.push(toHandoffEvent(event, h, config.workflows.get(h.workflowId)));
  }
  return out;
}
