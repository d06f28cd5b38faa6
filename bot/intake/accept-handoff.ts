import type { HandoffAccepted } from '../../shared/schemas/handoff-request.js';
import type { Workflow } from '../config/load-config.js';
import type { IntakeDecision } from '../domain/decide-intake.js';
import type { HandoffRequest } from '../../shared/schemas/handoff-request.js';
import { priorityOf } from '../domain/severity.js';
import type { NewOutboxItem } from '../store/records.js';
import type { AcceptedHandoff } from '../store/store.js';

export interface AcceptInput {
  id: string;
  /** The section-3 request, or what a voice platform's request maps to (no webhook; maybe no caller id). */
  request: { call_status: HandoffRequest['call_status']; caller_id: string | null; webhook_url: string | null };
  fields: Record<string, unknown>;
  workflow: Workflow;
  decision: IntakeDecision;
  receivedAt: number;
  signatureStatus: 'verified' | 'unsigned';
  callbacksOffReason: string | null;
  /** The voice platform the request came through; absent for `/v1/handoffs`. */
  sourcePlatform?: string;
  idempotency: { key: string; bodyHash: string } | null;
}

export function acceptedResponse(input: AcceptInput): HandoffAccepted {
  return {
    handoff_id: input.id,
    status: 'open',
    severity: input.decision.severity,
    caller_message: input.decision.callerMessage,
    owner_notified: input.decision.ownerNotified,
  };
}

/** The outbox rows a new handoff starts with: its card, and one SMS per on-call number, where routing said. */
export function initialOutbox(decision: IntakeDecision): NewOutboxItem[] {
  const priority = priorityOf(decision.severity);
  const channel = decision.ownerChannel;
  const items: NewOutboxItem[] = [{ kind: 'slack.post_card', payload: { channel }, paceKey: `slack:${channel}`, priority }];
  if (decision.ownerNotified.includes('sms')) {
    for (const to of decision.smsTo) items.push({ kind: 'sms.send', payload: { to }, paceKey: 'sms', priority });
  }
  return items;
}

/**
 * Everything an accepted handoff stores, as one unit: the row, its `handoff.received` event, its
 * outbox rows and its idempotency record (the store commits them together).
 */
export function acceptedHandoff(input: AcceptInput): { unit: AcceptedHandoff; response: string } {
  const { request, decision, workflow } = input;
  const response = JSON.stringify(acceptedResponse(input));
  const unit: AcceptedHandoff = {
    handoff: {
      id: input.id,
      workflowId: workflow.id,
      reason: decision.reason,
      severity: decision.severity,
      callStatus: request.call_status,
      callerId: request.caller_id,
      structuredFields: input.fields,
      callerMessage: decision.callerMessage,
      webhookUrl: request.webhook_url,
      callbacksEnabled: input.callbacksOffReason === null,
      callbacksOffReason: input.callbacksOffReason,
      sourcePlatform: input.sourcePlatform ?? null,
      notify: decision.notify,
      ownerNotified: decision.ownerNotified,
      signatureStatus: input.signatureStatus,
      receivedAt: input.receivedAt,
      escalateDueAt: decision.escalateDueAt,
    },
    event: {
      type: 'handoff.received',
      actor: null,
      at: input.receivedAt,
      data: {
        workflow_id: workflow.id,
        reason: decision.reason,
        severity: decision.severity,
        owner_notified: decision.ownerNotified,
        signature_status: input.signatureStatus,
        routing: decision.routing,
      },
    },
    outbox: initialOutbox(decision),
    idempotency: input.idempotency ? { ...input.idempotency, response } : null,
  };
  return { unit, response };
}
