import type { HandoffAccepted } from '../../shared/schemas/handoff-request.js';
import type { Workflow } from '../config/load-config.js';
import type { IntakeDecision } from '../domain/decide-intake.js';
import type { HandoffRequest } from '../../shared/schemas/handoff-request.js';
import type { Store } from '../store/store.js';
import type { NewOutboxItem } from '../store/records.js';

export interface AcceptInput {
  id: string;
  request: HandoffRequest;
  fields: Record<string, unknown>;
  workflow: Workflow;
  decision: IntakeDecision;
  receivedAt: number;
  signatureStatus: 'verified' | 'unsigned';
  callbacksOffReason: string | null;
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

/** The outbox rows a new handoff starts with: its card, and one SMS per on-call number. */
export function initialOutbox(workflow: Workflow, decision: IntakeDecision): NewOutboxItem[] {
  const items: NewOutboxItem[] = [{ kind: 'slack.post_card', paceKey: `slack:${workflow.owner_channel}` }];
  if (decision.ownerNotified.includes('sms')) {
    for (const to of workflow.sms_to) items.push({ kind: 'sms.send', payload: { to }, paceKey: 'sms' });
  }
  return items;
}

/**
 * Every write of an accepted handoff: the row, its `handoff.received` event, its outbox rows and
 * its idempotency record. Must run inside one transaction (the group committer's).
 */
export function writeAcceptedHandoff(store: Store, input: AcceptInput): string {
  const { request, decision, workflow } = input;
  store.handoffs.insert({
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
    notify: decision.notify,
    ownerNotified: decision.ownerNotified,
    signatureStatus: input.signatureStatus,
    receivedAt: input.receivedAt,
    escalateDueAt: decision.escalateDueAt,
  });
  store.events.append(input.id, 'handoff.received', null, input.receivedAt, {
    workflow_id: workflow.id,
    reason: decision.reason,
    severity: decision.severity,
    owner_notified: decision.ownerNotified,
    signature_status: input.signatureStatus,
  });
  store.outbox.enqueue(input.id, initialOutbox(workflow, decision), input.receivedAt);
  const response = JSON.stringify(acceptedResponse(input));
  if (input.idempotency) {
    store.idempotency.put(workflow.id, input.idempotency.key, input.idempotency.bodyHash, input.id, response, input.receivedAt);
  }
  return response;
}
