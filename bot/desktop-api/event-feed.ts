import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import type { HandoffConfig } from '../config/load-config.js';
import type { EventRecord, HandoffRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { UserNames } from './user-names.js';
import { isDesktopRelevant, peopleOf, toHandoffEvent } from './handoff-view.js';

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
export async function readFeed(store: Store, config: HandoffConfig, afterSeq: number, limit = 500, names?: UserNames): Promise<FeedBatch> {
  const rows = await store.events.after(afterSeq, limit);
  const handoffs = new Map<string, HandoffRecord | null>();
  for (const e of rows) {
    if (!handoffs.has(e.handoffId)) handoffs.set(e.handoffId, await store.handoffs.get(e.handoffId));
  }
  const relevant = [...handoffs.values()].filter((h): h is HandoffRecord => h !== null && isDesktopRelevant(h));
  await names?.learn(relevant.flatMap(peopleOf));
  const events: HandoffEvent[] = [];
  for (const e of rows) {
    const h = handoffs.get(e.handoffId);
    if (h && isDesktopRelevant(h)) events.push(toHandoffEvent(e, h, config.workflows.get(h.workflowId), names?.known));
  }
  return { events, scannedTo: rows.at(-1)?.seq ?? afterSeq, done: rows.length < limit };
}

/**
 * What a desktop connecting without `Last-Event-ID` needs to mirror: the latest event of every
 * unresolved desktop-relevant handoff (up to `upToSeq`), oldest first; `afterSeq` pages through it.
 */
export async function readSnapshot(store: Store, config: HandoffConfig, upToSeq: number, limit = 1000, afterSeq = 0, names?: UserNames): Promise<HandoffEvent[]> {
  return toEvents(store, config, await store.events.latestOfUnresolvedRelevant(upToSeq, limit, afterSeq), names);
}

/**
 * The resolutions a desktop at `cursor` has not seen: the latest event of every desktop-relevant
 * handoff that already had an event at or before `cursor` (so the desktop may show it as open) and
 * was resolved after it.
 */
export async function readResolvedSince(store: Store, config: HandoffConfig, cursor: number, upToSeq: number, limit = 1000, names?: UserNames): Promise<HandoffEvent[]> {
  return toEvents(store, config, await store.events.latestOfResolvedSince(cursor, upToSeq, limit), names);
}

async function toEvents(store: Store, config: HandoffConfig, rows: EventRecord[], names?: UserNames): Promise<HandoffEvent[]> {
  const found: [EventRecord, HandoffRecord][] = [];
  for (const r of rows) {
    const h = await store.handoffs.get(r.handoffId);
    if (h) found.push([r, h]);
  }
  await names?.learn(found.flatMap(([, h]) => peopleOf(h)));
  return found.map(([r, h]) => toHandoffEvent({ ...r, data: {} }, h, config.workflows.get(h.workflowId), names?.known));
}
