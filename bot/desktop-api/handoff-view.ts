import type { HandoffEvent, HandoffView } from '../../shared/schemas/handoff-view.js';
import type { Workflow } from '../config/load-config.js';
import { visibleFields } from '../domain/visible-fields.js';
import { maskCallerId } from '../observability/mask.js';
import type { EventRecord, HandoffRecord } from '../store/records.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A Slack user's display name when known (user-names.ts), else undefined. */
export type NameOf = (userId: string) => string | undefined;

/** The users a view names: whose display names it carries. */
export function peopleOf(h: Pick<HandoffRecord, 'claimedBy' | 'resolvedBy' | 'lastEscalatedBy'>): string[] {
  return [h.claimedBy, h.resolvedBy, h.lastEscalatedBy].filter((id): id is string => id !== null);
}

/**
 * A stored handoff as a paired desktop sees it: never a sensitive field; caller data is null once
 * retention has erased it; people by name and the reason by its configured label where known.
 * Pure: the workflow comes in (undefined when it left the config), names from what was learned.
 */
export function toHandoffView(h: HandoffRecord, workflow: Workflow | undefined, nameOf?: NameOf): HandoffView {
  const names = Object.fromEntries(peopleOf(h).flatMap((id) => {
    const name = nameOf?.(id);
    return name ? [[id, name]] : [];
  }));
  return {
    id: h.id,
    workflow_id: h.workflowId,
    workflow_name: workflow?.name ?? h.workflowId,
    reason: h.reason,
    reason_label: workflow?.reasonSpecs.get(h.reason)?.label ?? null,
    severity: h.severity,
    status: h.status,
    escalation_level: h.escalationLevel,
    call_status: h.callStatus,
    caller_id: h.callerId,
    caller_id_masked: h.callerId === null ? null : maskCallerId(h.callerId),
    fields: visibleFields(workflow, h.structuredFields),
    received_at: new Date(h.receivedAt).toISOString(),
    claimed_by: h.claimedBy,
    claimed_at: iso(h.claimedAt),
    resolved_by: h.resolvedBy,
    resolved_at: iso(h.resolvedAt),
    outcome: h.outcome,
    last_escalated_by: h.lastEscalatedBy,
    slack_permalink: h.slackPermalink,
    caller_hung_up: h.callerHungUpAt !== null && h.status !== 'resolved',
    ...(Object.keys(names).length > 0 ? { user_names: names } : {}),
  };
}

/** One event-log row with the handoff's current view, as `GET /v1/events` streams it. */
export function toHandoffEvent(e: EventRecord, h: HandoffRecord, workflow: Workflow | undefined, nameOf?: NameOf): HandoffEvent {
  return {
    seq: e.seq,
    type: e.type,
    handoff_id: e.handoffId,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    handoff: toHandoffView(h, workflow, nameOf),
  };
}

/**
 * The desktop follows urgent and escalated handoffs, and any handoff whose 202 told the sender it
 * was queued to the desktop (`owner_notified` includes `desktop`, e.g. `notify: [desktop]` on a low
 * one): the stream must keep the promise the intake answer made. Keep in step with RELEVANT_SQL in the stores' events repositories.
 */
export function isDesktopRelevant(h: Pick<HandoffRecord, 'severity' | 'escalationLevel' | 'ownerNotified'>): boolean {
  return h.severity === 'urgent' || h.escalationLevel > 0 || h.ownerNotified.includes('desktop');
}
