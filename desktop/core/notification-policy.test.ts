import { describe, expect, it } from 'vitest';
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.js';
import { CALLER_ID, view } from '../../test/support/fixtures.js';
import { decideNotification, inQuietHours } from './notification-policy.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const NOON = 12 * 60;

function decide(h: Partial<HandoffView>, announcedLevel: number | null, s: Partial<Settings> = {}, minutesOfDay = NOON) {
  return decideNotification({ handoff: view(h), announcedLevel, settings: { ...DEFAULT_SETTINGS, ...s }, now: NOW, minutesOfDay });
}

describe('notification policy', () => {
  it.each<[string, Partial<HandoffView>, number | null, Partial<Settings>, number, string]>([
    ['a new urgent open handoff is announced', {}, null, {}, NOON, 'announce'],
    ['an urgent handoff already announced is not announced again', {}, 0, {}, NOON, 'already_announced'],
    ['a rise in escalation level is announced again', { escalation_level: 1 }, 0, {}, NOON, 'announce'],
    ['the same escalation level is not announced twice', { escalation_level: 2 }, 2, {}, NOON, 'already_announced'],
    ['an escalated normal handoff is announced', { severity: 'normal', escalation_level: 1 }, null, {}, NOON, 'announce'],
    ['a non-urgent, non-escalated handoff is not announced', { severity: 'high' }, null, {}, NOON, 'not_urgent'],
    ['a resolved handoff is never announced', { status: 'resolved', escalation_level: 3 }, null, {}, NOON, 'resolved'],
    ['a handoff first seen already claimed is not announced', { status: 'claimed' }, null, {}, NOON, 'already_claimed'],
    ['a claimed handoff escalated for help is announced', { status: 'claimed', escalation_level: 1 }, 0, {}, NOON, 'announce'],
    ['urgent breaks through quiet hours', {}, null, { quietHours: { start: '22:00', end: '07:00' } }, 23 * 60, 'announce'],
    ['quiet hours hold back an escalated high handoff', { severity: 'high', escalation_level: 1 }, null, { quietHours: { start: '22:00', end: '07:00' } }, 6 * 60, 'quiet_hours'],
    ['outside quiet hours an escalated high handoff is announced', { severity: 'high', escalation_level: 1 }, null, { quietHours: { start: '22:00', end: '07:00' } }, 7 * 60, 'announce'],
    ['snooze holds back even urgent ones', {}, null, { snoozeUntil: NOW + 1 }, NOON, 'snoozed'],
    ['an expired snooze holds back nothing', {}, null, { snoozeUntil: NOW }, NOON, 'announce'],
  ])('%s', (_name, h, announced, s, minute, expected) => {
    const d = decide(h, announced, s, minute);
    expect(d.announce ? 'announce' : d.reason).toBe(expected);
  });

  it('marks a held-back handoff at its level so it does not pop up late', () => {
    const d = decide({ escalation_level: 1 }, null, { snoozeUntil: NOW + 1000 });
    expect(d).toMatchObject({ announce: false, markLevel: 1 });
  });

  it('writes workflow, reason and severity, and no caller id or field, by default', () => {
    const d = decide({}, null);
    if (!d.announce) throw new Error('expected an announcement');
    expect(d.title).toBe('Urgent handoff · Clinic after-hours line');
    expect(d.body).toBe('emergency or sensitive request · urgent');
    const text = `${d.title} ${d.body}`;
    expect(text).not.toContain(CALLER_ID);
    expect(text).not.toContain('0123');
    expect(text).not.toContain('Ada Lovelace');
  });

  it('names the escalation level in the title', () => {
    const d = decide({ severity: 'high', escalation_level: 2 }, 1);
    expect(d.announce && d.title).toBe('Escalated handoff (level 2) · Clinic after-hours line');
  });

  it('shows caller id and visible fields only when the user turned it on', () => {
    const d = decide({}, null, { showCallerDataOnLockScreen: true });
    expect(d.announce && d.body).toBe(`emergency or sensitive request · urgent · caller ${CALLER_ID} · Patient name: Ada Lovelace`);
  });

  it('truncates long text', () => {
    const d = decide({ workflow_name: 'W'.repeat(200), reason: 'r'.repeat(400) }, null);
    if (!d.announce) throw new Error('expected an announcement');
    expect(d.title.length).toBeLessThanOrEqual(80);
    expect(d.body.length).toBeLessThanOrEqual(240);
    expect(d.title.endsWith('…')).toBe(true);
  });
});

describe('inQuietHours', () => {
  it.each<[string, string, number, boolean]>([
    ['22:00', '07:00', 22 * 60, true],
    ['22:00', '07:00', 0, true],
    ['22:00', '07:00', 7 * 60 - 1, true],
    ['22:00', '07:00', 7 * 60, false],
    ['22:00', '07:00', 12 * 60, false],
    ['09:00', '17:00', 9 * 60, true],
    ['09:00', '17:00', 17 * 60, false],
    ['08:00', '08:00', 8 * 60, false],
  ])('%s–%s at minute %i -> %s', (start, end, minute, quiet) => {
    expect(inQuietHours({ start, end }, minute)).toBe(quiet);
  });

  it('is never quiet without quiet hours', () => {
    expect(inQuietHours(null, 0)).toBe(false);
  });
});
