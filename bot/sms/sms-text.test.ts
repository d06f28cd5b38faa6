import { describe, expect, it } from 'vitest';
import { smsText, type SmsTextInput } from './sms-text.js';

const base: SmsTextInput = {
  workflowName: 'Clinic after-hours line',
  reason: 'emergency_or_sensitive_request',
  severity: 'urgent',
  handoffId: 'ho_01HZX3',
};

describe('smsText', () => {
  it('says severity, handoff id, workflow and reason in one short line', () => {
    expect(smsText(base)).toBe('[URGENT] Handoff ho_01HZX3: Clinic after-hours line - emergency or sensitive request');
  });

  it('an escalation level page says the level up front', () => {
    expect(smsText({ ...base, level: 2 })).toBe('[URGENT ESCALATED L2] Handoff ho_01HZX3: Clinic after-hours line - emergency or sensitive request');
    expect(smsText({ ...base, level: 0 })).toBe(smsText(base));
  });

  it('appends the action link', () => {
    const text = smsText({ ...base, actUrl: 'https://slack.com/app_redirect?channel=C0CLINIC' });
    expect(text.endsWith(' https://slack.com/app_redirect?channel=C0CLINIC')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('shortens a long workflow name first and keeps the id, reason and link whole, within 160 characters', () => {
    const text = smsText({ ...base, workflowName: 'W'.repeat(300), actUrl: 'https://example.test/h/ho_01HZX3' });
    expect(text.length).toBeLessThanOrEqual(160);
    expect(text).toContain('ho_01HZX3');
    expect(text).toContain('emergency or sensitive request');
    expect(text).toContain('WWW...');
    expect(text.endsWith('https://example.test/h/ho_01HZX3')).toBe(true);
  });

  it('keeps to plain printable ASCII so the SMS stays one GSM-7 segment', () => {
    const text = smsText({ ...base, workflowName: 'Clinic 🏥\nline\u0007' });
    expect(text).toMatch(/^[\x20-\x7e]+$/);
  });

  it('has no input for caller data, so none can appear: only configuration and ids are used', () => {
    const callerData = { caller_id: '+15555550100', structured_fields: { patient_name: 'Jane Roe' }, caller_message: 'Help' };
    const text = smsText({ ...base, ...(callerData as unknown as Partial<SmsTextInput>) });
    for (const secret of ['5555550100', 'Jane', 'Help']) expect(text).not.toContain(secret);
  });
});
