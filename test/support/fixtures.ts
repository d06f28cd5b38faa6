import type { NewHandoff } from '../../bot/store/handoffs-repo.js';

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
