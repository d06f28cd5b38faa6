import { describe, expect, it } from 'vitest';
import { handoffEventSchema, handoffViewSchema } from '../../shared/schemas/handoff-view.js';
import { testConfig } from '../../test/support/test-config.js';
import { handoffRecordFixture } from '../../test/support/fixtures.js';
import { isDesktopRelevant, toHandoffEvent, toHandoffView } from './handoff-view.js';

const workflow = testConfig().workflows.get('clinic-after-hours')!;

const record = handoffRecordFixture;

describe('toHandoffView', () => {
  it('shows non-sensitive fields in configured order, masks the caller and formats times as ISO', () => {
    const view = toHandoffView(record({ claimedBy: 'U0ALICE01', claimedAt: Date.UTC(2025, 0, 2, 3, 5), status: 'claimed' }), workflow);
    expect(handoffViewSchema.parse(view)).toEqual(view);
    expect(view.fields).toEqual([
      { name: 'patient_name', label: 'Patient', value: 'Dana' },
      { name: 'visits', label: 'visits', value: '3' },
    ]);
    expect(view).toMatchObject({
      workflow_name: 'Clinic after-hours line',
      caller_id: '+15555550123',
      caller_id_masked: '+1******0123',
      received_at: '2025-01-02T03:04:05.000Z',
      claimed_at: '2025-01-02T03:05:00.000Z',
      resolved_at: null,
      slack_permalink: 'https://slack.example/archives/C0CLINIC01/p10001',
    });
    expect(JSON.stringify(view)).not.toMatch(/chest pain|1970-01-02|marking this|hooks\.example/);
  });

  it('shows nulls and no fields once retention has erased the personal data', () => {
    const view = toHandoffView(record({ callerId: null, structuredFields: null, callerMessage: null, erasedAt: 1 }), workflow);
    expect(view).toMatchObject({ caller_id: null, caller_id_masked: null, fields: [] });
  });

  it('falls back to the workflow id and shows no fields when the workflow left the config', () => {
    const view = toHandoffView(record(), undefined);
    expect(view.workflow_name).toBe('clinic-after-hours');
    expect(view.fields).toEqual([]);
  });
});

describe('toHandoffEvent', () => {
  it('wraps an event-log row with the current view in the streamed shape', () => {
    const e = toHandoffEvent({ seq: 7, handoffId: 'ho_test1', type: 'handoff.claimed', actor: 'U0BOB0001', at: 0, data: {} }, record(), workflow);
    expect(handoffEventSchema.parse(e)).toEqual(e);
    expect(e).toMatchObject({ seq: 7, type: 'handoff.claimed', actor: 'U0BOB0001', at: '1970-01-01T00:00:00.000Z', handoff: { id: 'ho_test1' } });
  });
});

describe('isDesktopRelevant', () => {
  it.each([
    ['urgent', 0, ['slack'], true],
    ['high', 0, ['slack', 'sms'], false],
    ['low', 0, ['slack'], false],
    ['normal', 1, ['slack'], true],
    ['low', 2, ['slack'], true],
    ['low', 0, ['slack', 'desktop'], true],
  ] as const)('severity %s at escalation level %i, owner_notified %j -> %s', (severity, escalationLevel, ownerNotified, expected) => {
    expect(isDesktopRelevant({ severity, escalationLevel, ownerNotified: [...ownerNotified] })).toBe(expected);
  });
});
