import { describe, expect, it } from 'vitest';
import { septets, smsSegments, smsText, SMS_TWO_SEGMENTS, type SmsTextInput } from './sms-text.js';

const base: SmsTextInput = {
  workflowName: 'Clinic after-hours line',
  reason: 'Emergency or sensitive request',
  severity: 'urgent',
  handoffId: 'ho_06h4tc4kqc3c1ezsr4d7apsf3c',
};
const LINK = 'https://handoff.example.org/h/ho_06h4tc4kqc3c1ezsr4d7apsf3c';
const PERMALINK = 'https://acme-health.slack.com/archives/C0CLINIC01/p1765060140123456';

describe('smsText', () => {
  it.each([
    ['a first page', base, 'URGENT: Clinic after-hours line - Emergency or sensitive request. Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c'],
    ['a level\'s page says the level up front', { ...base, level: 2 }, 'URGENT ESCALATED L2: Clinic after-hours line - Emergency or sensitive request. Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c'],
    ['level 0 is a first page', { ...base, level: 0 }, 'URGENT: Clinic after-hours line - Emergency or sensitive request. Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c'],
    ['a reason without a label: its id in words', { ...base, reason: 'angry_caller', severity: 'high' as const }, 'HIGH: Clinic after-hours line - angry caller. Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c'],
    ['the link last', { ...base, level: 2, actUrl: PERMALINK }, `URGENT ESCALATED L2: Clinic after-hours line - Emergency or sensitive request. Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c ${PERMALINK}`],
  ])('%s', (_case, input, expected) => {
    expect(smsText(input)).toBe(expected);
  });

  it('names the workflow and the reason\'s label in full, then the link, within two segments, at the longest config allows (100 each, top level)', () => {
    const input = { ...base, workflowName: `${'W'.repeat(99)}x`, reason: `${'R'.repeat(99)}y`, level: 9, actUrl: LINK };
    const text = smsText(input);
    expect(text).toContain(`${'W'.repeat(99)}x - ${'R'.repeat(99)}y.`);
    expect(text.endsWith(` ${LINK}`)).toBe(true);
    expect(septets(text)).toBeLessThanOrEqual(SMS_TWO_SEGMENTS);
    expect(smsSegments(text)).toBe(2);
    // Only the optional part gave way: the id (the link leads to the handoff).
    expect(text).not.toContain('Handoff ho_');
  });

  it('keeps the id when no link can be sent: it is then the only way to the handoff', () => {
    const text = smsText({ ...base, workflowName: 'W'.repeat(100), reason: 'R'.repeat(100), level: 9 });
    expect(text.endsWith('Handoff ho_06h4tc4kqc3c1ezsr4d7apsf3c')).toBe(true);
    expect(smsSegments(text)).toBe(2);
  });

  it('a short page is one segment', () => {
    expect(smsSegments(smsText({ ...base, workflowName: 'Billing', reason: 'Upset caller', severity: 'high', handoffId: 'ho_1', actUrl: 'https://h.example/h/ho_1' }))).toBe(1);
  });

  it('counts GSM-7 extension characters as two septets', () => {
    expect(septets('a[b]c')).toBe(7);
    expect(smsSegments('x'.repeat(160))).toBe(1);
    expect(smsSegments('x'.repeat(161))).toBe(2);
    expect(smsSegments('x'.repeat(307))).toBe(3);
  });

  it('keeps to plain printable ASCII so the SMS stays GSM-7', () => {
    const text = smsText({ ...base, workflowName: 'Clinic 🏥\nline\u0007' });
    expect(text).toMatch(/^[\x20-\x7e]+$/);
    expect(text).toContain('Clinic line - ');
  });

  it('has no input for caller data, so none can appear: only configuration and ids are used', () => {
    const callerData = { caller_id: '+15555550100', structured_fields: { patient_name: 'Jane Roe' }, caller_message: 'Help' };
    const text = smsText({ ...base, ...(callerData as unknown as Partial<SmsTextInput>) });
    for (const secret of ['5555550100', 'Jane', 'Help']) expect(text).not.toContain(secret);
  });
});
