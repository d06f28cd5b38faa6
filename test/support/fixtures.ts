/**
 * The test fixtures, one family: the same clinic handoff as the store writes it (newHandoffFixture,
 * acceptedFixture), as a card builder reads it (sampleInput) and as the desktop mirrors it (view,
 * event). Override what a test is about.
 */
import type { EventType } from '../../shared/schemas/enums.js';
import type { HandoffEvent, HandoffView } from '../../shared/schemas/handoff-view.js';
import type { CardInput } from '../../bot/slack/cards/card-input.js';
import type { HandoffRecord, NewOutboxItem } from '../../bot/store/records.js';
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
    sourcePlatform: null,
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

/** A stored handoff as the store returns it (every column), for the pure mappers that read one. */
export function handoffRecordFixture(overrides: Partial<HandoffRecord> = {}): HandoffRecord {
  return {
    id: 'ho_test1',
    workflowId: 'clinic-after-hours',
    reason: 'emergency_or_sensitive_request',
    severity: 'urgent',
    status: 'open',
    escalationLevel: 0,
    callStatus: 'in_progress',
    callerId: '+15555550123',
    structuredFields: { patient_name: 'Dana', symptoms: 'chest pain', date_of_birth: '1970-01-02', visits: 3 },
    callerMessage: 'I am marking this for a person now.',
    webhookUrl: 'https://hooks.example.com/x',
    callbacksEnabled: true,
    callbacksOffReason: null,
    sourcePlatform: null,
    notify: ['slack', 'desktop'],
    ownerNotified: ['slack', 'desktop'],
    signatureStatus: 'verified',
    receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
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
    escalateDueAt: null,
    version: 1,
    slackChannel: 'C0CLINIC01',
    slackTs: '1.0001',
    slackPermalink: 'https://slack.example/archives/C0CLINIC01/p10001',
    slackCardVersion: 1,
    remindDueAt: null,
    severityBeforeEscalation: null,
    erasedAt: null,
    outcome: null,
    firstClaimedAt: null,
    intakeIssues: null,
    callSummary: null,
    callerHungUpAt: null,
    connect: { state: null, waitingSince: null, waitingUntil: null, user: null },
    ...overrides,
  };
}

// --- as a card builder reads it (bot/slack/cards) ---
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
    caller: '+15555550100',
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

// --- as the desktop mirrors it (desktop/) ---
export const CALLER_ID = '+15555550123';

export function view(overrides: Partial<HandoffView> = {}): HandoffView {
  return {
    id: 'ho_1',
    workflow_id: 'clinic-after-hours',
    workflow_name: 'Clinic after-hours line',
    reason: 'emergency_or_sensitive_request',
    severity: 'urgent',
    status: 'open',
    escalation_level: 0,
    call_status: 'in_progress',
    caller_id: CALLER_ID,
    caller_id_masked: '+1******0123',
    fields: [{ name: 'patient_name', label: 'Patient name', value: 'Ada Lovelace' }],
    received_at: '2025-01-01T10:00:00.000Z',
    claimed_by: null,
    claimed_at: null,
    resolved_by: null,
    resolved_at: null,
    last_escalated_by: null,
    slack_permalink: 'https://example.slack.com/archives/C0CLINIC/p1700000000000100',
    ...overrides,
  };
}

export function event(seq: number, handoff: HandoffView, type: EventType = 'handoff.received'): HandoffEvent {
  return { seq, type, handoff_id: handoff.id, at: '2025-01-01T10:00:00.000Z', actor: null, handoff };
}
