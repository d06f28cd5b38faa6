import type { NewOutboxItem } from '../../bot/store/records.js';
import type { AcceptedHandoff, NewHandoff } from '../../bot/store/store.js';

/** A handoff row for tests that write to the store directly; override what the test is about. */
export function newHandoffFixture(overrides: Partial<NewHandoff> & { id: string }): NewHandoff {
  return {
    workflowId: 'clinic-after-hours',
    reason: 'emergency_or_sensitive_request',
    severity: 'urgent',
    callStatus: 'in_progress',
    callerId: '+15555550123',
    structuredFields: { patient_name: 'Dana' },
    callerMessage: null,
    webhookUrl: null,
    callbacksEnabled: false,
    callbacksOffReason: null,
    notify: ['slack'],
    ownerNotified: ['slack'],
    signatureStatus: 'verified',
    receivedAt: Date.now(),
    escalateDueAt: null,
    ...overrides,
  };
}

/** An accepted handoff (row, `handoff.received` event, the given outbox rows) for `store.accept`. */
export function acceptedFixture(id: string, receivedAt: number, outbox: readonly NewOutboxItem[] = []): AcceptedHandoff {
  return {
    handoff: newHandoffFixture({ id, receivedAt }),
    event: { type: 'handoff.received', actor: null, at: receivedAt },
    outbox,
    idempotency: null,
  };
}
