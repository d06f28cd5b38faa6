/** Test data builders (tests only). */
import type { EventType } from '../../../shared/schemas/enums.js';
import type { HandoffEvent, HandoffView } from '../../../shared/schemas/handoff-view.js';

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
