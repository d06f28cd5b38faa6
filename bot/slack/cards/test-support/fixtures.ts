/** Test-only: a realistic handoff for example-based tests. */
import type { CardInput } from '../card-input.js';

export const T0 = Date.UTC(2025, 4, 6, 22, 0, 0);
export const MIN = 60_000;

export function sampleInput(over: Partial<CardInput> = {}): CardInput {
  return {
    handoffId: 'ho_01HZXAMPLE',
    workflowName: 'Clinic after-hours line',
    workflowId: 'clinic-after-hours',
    reason: 'emergency_or_sensitive_request',
    severity: 'urgent',
    status: 'open',
    escalationLevel: 0,
    callStatus: 'in_progress',
    callerId: '+15555550100',
    fields: [{ label: 'Patient name', value: 'Ada Lovelace' }],
    receivedAt: T0,
    now: T0 + 3 * MIN,
    claimedBy: null,
    claimedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    lastEscalatedBy: null,
    lastEscalatedAt: null,
    lastReleasedBy: null,
    lastReleasedAt: null,
    reopenedBy: null,
    reopenedAt: null,
    escalationMention: 'S0ONCALL',
    callbacksOff: false,
    notesCount: 0,
    ...over,
  };
}
