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
 * Reads the event log after `afterSeq` and keeps the events whose handoff is now urgent or escalated,
 * each with the handoff's current view. Handoffs are read once per batch.
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

/**
 * What a desktop connecting without `Last-Event-ID` needs to mirror: the latest event of every
 * unresolved urgent or escalated handoff (up to `upToSeq`), oldest first.
 */
export function readSnapshot(store: Store, config: HandoffConfig, upToSeq: number, limit = 1000): HandoffEvent[] {
  const rows = store.db
    .prepare<[number, number], LatestRow>(
      `SELECT e.seq, e.handoff_id, e.type, e.actor, e.at FROM events e
       JOIN (SELECT h.id, MAX(ev.seq) AS seq FROM handoffs h JOIN events ev ON ev.handoff_id = h.id
             WHERE h.status IN ('open', 'claimed') AND (h.severity = 'urgent' OR h.escalation_level > 0) AND ev.seq <= ?
             GROUP BY h.id) latest ON latest.seq = e.seq
       ORDER BY e.seq LIMIT ?`,
    )
    .all(upToSeq, limit);
  const out: HandoffEvent[] = [];
  for (const r of rows) {
    const h = store.handoffs.get(r.handoff_id);
    if (!h) continue;
    const event = { seq: r.seq, handoffId: r.handoff_id, type: r.type as EventType, actor: r.actor, at: r.at, data: {} };
    out.push(toHandoffEvent(event, h, config.workflows.get(h.workflowId)));
  }
  return out;
}
