import type { EventType } from '../../shared/schemas/enums.js';
import { CARD_EDIT_PACE_KEY, laneOf, type NewOutboxItem } from './records.js';
import type { AcceptedHandoff, NewHandoff } from './store.js';

/**
 * The INSERTs of an accepted handoff as data: a statement name and its parameters, so they can cross
 * to the writer thread (which runs them on its own connection); the repositories run the same
 * statements on the main connection, so there is one definition of each write.
 */
export const WRITE_STATEMENTS = {
  insertHandoff: `
    INSERT INTO handoffs (id, workflow_id, reason, severity, status, call_status, caller_id, structured_fields,
      caller_message, webhook_url, callbacks_enabled, callbacks_off_reason, source_platform, notify, owner_notified,
      signature_status, received_at, escalate_due_at)
    VALUES (@id, @workflow_id, @reason, @severity, 'open', @call_status, @caller_id, @structured_fields,
      @caller_message, @webhook_url, @callbacks_enabled, @callbacks_off_reason, @source_platform, @notify, @owner_notified,
      @signature_status, @received_at, @escalate_due_at)`,
  appendEvent: 'INSERT INTO events (handoff_id, type, actor, at, data) VALUES (?, ?, ?, ?, ?)',
  // A card edit while one of the same handoff is pending adds nothing (outbox_one_card_edit, migration 170).
  enqueueOutbox:
    'INSERT INTO outbox (handoff_id, kind, lane, payload, pace_key, priority, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  putIdempotency: 'INSERT INTO idempotency_keys (workflow_id, key, body_hash, handoff_id, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  // Its primary key makes a second handoff for the same platform call fail the whole unit.
  insertProviderCall: 'INSERT INTO provider_calls (workflow_id, platform, call_id, handoff_id, created_at) VALUES (?, ?, ?, ?, ?)',
  setIntakeIssues: 'UPDATE handoffs SET intake_issues = ? WHERE id = ?',
} as const;

export type WriteStatement = keyof typeof WRITE_STATEMENTS;
export type SqlValue = string | number | null;
export interface WriteOp {
  stmt: WriteStatement;
  params: SqlValue[] | Record<string, SqlValue>;
}

/** Rows of one pace key go out lowest priority first (urgent 0 … low 3), then oldest first. */
export const DEFAULT_PRIORITY = 2;

export function insertHandoffOp(h: NewHandoff): WriteOp {
  return {
    stmt: 'insertHandoff',
    params: {
      id: h.id,
      workflow_id: h.workflowId,
      reason: h.reason,
      severity: h.severity,
      call_status: h.callStatus,
      caller_id: h.callerId,
      structured_fields: h.structuredFields === null ? null : JSON.stringify(h.structuredFields),
      caller_message: h.callerMessage,
      webhook_url: h.webhookUrl,
      callbacks_enabled: h.callbacksEnabled ? 1 : 0,
      callbacks_off_reason: h.callbacksOffReason,
      source_platform: h.sourcePlatform,
      notify: JSON.stringify(h.notify),
      owner_notified: JSON.stringify(h.ownerNotified),
      signature_status: h.signatureStatus,
      received_at: h.receivedAt,
      escalate_due_at: h.escalateDueAt,
    },
  };
}

export function appendEventOp(handoffId: string, type: EventType, actor: string | null, at: number, data: Record<string, unknown> = {}): WriteOp {
  return { stmt: 'appendEvent', params: [handoffId, type, actor, at, JSON.stringify(data)] };
}

/** Every card edit goes through chat.update's one pace, whoever queued it: a 429 then pauses only edits. */
function paceKeyOf(item: NewOutboxItem): string | null {
  return item.paceKey ?? (item.kind === 'slack.update_card' ? CARD_EDIT_PACE_KEY : null);
}

export function enqueueOutboxOp(handoffId: string, item: NewOutboxItem, now: number): WriteOp {
  return {
    stmt: 'enqueueOutbox',
    params: [handoffId, item.kind, laneOf(item.kind), JSON.stringify(item.payload ?? {}), paceKeyOf(item), item.priority ?? DEFAULT_PRIORITY, item.notBefore ?? now, now],
  };
}

export function putIdempotencyOp(workflowId: string, key: string, bodyHash: string, handoffId: string, response: string, now: number): WriteOp {
  return { stmt: 'putIdempotency', params: [workflowId, key, bodyHash, handoffId, response, now] };
}

export function insertProviderCallOp(workflowId: string, platform: string, callId: string, handoffId: string, now: number): WriteOp {
  return { stmt: 'insertProviderCall', params: [workflowId, platform, callId, handoffId, now] };
}

export function setIntakeIssuesOp(handoffId: string, issues: readonly { path: string; message: string }[] | null): WriteOp {
  return { stmt: 'setIntakeIssues', params: [issues === null ? null : JSON.stringify(issues), handoffId] };
}

/** Every write of an accepted handoff, in order: one group-commit unit. */
export function acceptedHandoffOps(unit: AcceptedHandoff): WriteOp[] {
  const { handoff, event } = unit;
  const ops = [
    insertHandoffOp(handoff),
    appendEventOp(handoff.id, event.type, event.actor, event.at, event.data),
    ...unit.outbox.map((item) => enqueueOutboxOp(handoff.id, item, handoff.receivedAt)),
  ];
  if (unit.intakeIssues) ops.push(setIntakeIssuesOp(handoff.id, unit.intakeIssues));
  if (unit.providerCall) ops.push(insertProviderCallOp(handoff.workflowId, unit.providerCall.platform, unit.providerCall.callId, handoff.id, handoff.receivedAt));
  if (unit.idempotency) {
    const { key, bodyHash, response } = unit.idempotency;
    ops.push(putIdempotencyOp(handoff.workflowId, key, bodyHash, handoff.id, response, handoff.receivedAt));
  }
  return ops;
}
