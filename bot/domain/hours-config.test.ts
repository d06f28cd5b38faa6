import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/support/config-issues.js';
import { routingAt, routingChangeAfter } from './routing.js';
import { parseConfigText } from '../config/load-config.js';

const withHours = (hours: string, afterHours = '') => `
workflows:
  - id: clinic
    name: Clinic
    owner_channel: C0CLINIC01
    escalation_channel: C0ONCALL01
    escalation_mention: S0DAYTEAM1
    sms_to: ["+15555550100"]
    escalate_after: { urgent: 5m }
${hours}${afterHours}`;

const OFFICE = `    hours:
      time_zone: America/New_York
      open:
        - { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
        - { days: [sat], from: "22:00", to: "02:00" }
`;
const NIGHT = `    after_hours:
      owner_channel: C0NIGHT001
      escalation_mention: U0NURSE001
      sms_to: ["+15555550199"]
      escalate_after: { urgent: 2m, normal: 30m }
      caller_message: "The office is closed; the nurse on call will call you back within the hour."
`;

describe('hours and after_hours in the config', () => {
  const window = (w: string) => withHours(`    hours:\n      time_zone: Europe/Berlin\n      open:\n${w}`);
  it('reads the zone and windows in minutes, and routes by them', () => {
    const config = parseConfigText(withHours(OFFICE, NIGHT));
    const wf = config.workflows.get('clinic')!;
    expect(wf.hours).toEqual({
      time_zone: 'America/New_York',
      open: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: 540, to: 1020 },
        { days: ['sat'], from: 1320, to: 120 },
      ],
    });
    const day = routingAt(wf, Date.parse('2026-03-09T13:00:00Z')); // Monday 09:00 EDT
    expect(day).toMatchObject({ block: 'business_hours', callerMessage: null });
    expect(routingChangeAfter(wf, Date.parse('2026-03-09T13:00:00Z'))).toBe(Date.parse('2026-03-09T21:00:00Z'));
    expect(day.workflow.owner_channel).toBe('C0CLINIC01');
    const night = routingAt(wf, Date.parse('2026-03-09T21:00:00Z'));
    expect(night).toMatchObject({ block: 'after_hours' });
    expect(routingChangeAfter(wf, Date.parse('2026-03-09T21:00:00Z'))).toBe(Date.parse('2026-03-10T13:00:00Z'));
    expect(night.callerMessage).toMatch(/^The office is closed/);
    expect(night.workflow).toMatchObject({
      owner_channel: 'C0NIGHT001',
      escalation_channel: 'C0ONCALL01', // not overridden: the workflow's own
      escalation_mention: 'U0NURSE001',
      sms_to: ['+15555550199'],
      escalate_after: { urgent: 120_000, normal: 1_800_000 },
    });
    expect(wf.owner_channel).toBe('C0CLINIC01'); // the configured workflow is left as it is
  });

  it('takes unquoted and one-digit hours as YAML writes them', () => {
    const wf = parseConfigText(window('        - { days: [mon], from: 9:30, to: 17:00 }\n')).workflows.get('clinic')!;
    expect(wf.hours?.open[0]).toMatchObject({ from: 570, to: 1020 });
  });

  it('a workflow without hours routes the same at every hour', () => {
    const wf = parseConfigText(withHours('')).workflows.get('clinic')!;
    expect(routingAt(wf, Date.parse('2026-03-08T07:00:00Z'))).toMatchObject({ block: 'always', workflow: wf });
    expect(routingChangeAfter(wf, Date.parse('2026-03-08T07:00:00Z'))).toBeNull();
  });

  it.each([
    ['an unknown zone', withHours(OFFICE.replace('America/New_York', 'Mars/Olympus_Mons')), 'workflows[0].hours.time_zone: must be an IANA time zone'],
    ['a zone written as an offset', withHours(OFFICE.replace('America/New_York', '+0100 CET')), 'workflows[0].hours.time_zone: must be an IANA time zone'],
    ['no windows', withHours('    hours: { time_zone: UTC, open: [] }\n'), 'workflows[0].hours.open: must list at least one open window'],
    ['no hours block at all but after_hours', withHours('', NIGHT), 'workflows[0].after_hours: needs hours'],
    ['a time written as 9am', window('        - { days: [mon], from: 9am, to: "17:00" }\n'), 'workflows[0].hours.open[0].from: must be a 24-hour time'],
    ['an hour past 23', window('        - { days: [mon], from: "09:00", to: "25:00" }\n'), 'workflows[0].hours.open[0].to: must be a 24-hour time'],
    ['24:00 as a start', window('        - { days: [mon], from: "24:00", to: "08:00" }\n'), 'workflows[0].hours.open[0].from: must be a 24-hour time'],
    ['a time YAML reads as a number', window('        - { days: [mon], from: 900, to: "17:00" }\n'), 'workflows[0].hours.open[0].from:'],
    ['minutes without two digits', window('        - { days: [mon], from: "9:5", to: "17:00" }\n'), 'workflows[0].hours.open[0].from: must be a 24-hour time'],
    ['an empty window', window('        - { days: [mon], from: "09:00", to: "09:00" }\n'), 'workflows[0].hours.open[0].to: is the same time as from: the window would be empty'],
    ['no days', window('        - { days: [], from: "09:00", to: "17:00" }\n'), 'workflows[0].hours.open[0].days: must name at least one day'],
    ['an unknown day', window('        - { days: [monday], from: "09:00", to: "17:00" }\n'), 'workflows[0].hours.open[0].days[0]: must be one of mon, tue'],
    ['a day named twice', window('        - { days: [mon, mon], from: "09:00", to: "17:00" }\n'), 'workflows[0].hours.open[0].days[1]: names mon twice'],
    [
      'overlapping windows',
      window('        - { days: [mon, tue], from: "08:00", to: "12:00" }\n        - { days: [tue], from: "11:30", to: "18:00" }\n'),
      'workflows[0].hours.open[1]: overlaps open[0] (08:00-12:00) on tue',
    ],
    [
      'a night window running into the next morning',
      window('        - { days: [fri], from: "22:00", to: "06:00" }\n        - { days: [sat], from: "05:00", to: "12:00" }\n'),
      'workflows[0].hours.open[1]: overlaps open[0] (22:00-06:00) on sat',
    ],
    ['a typo in a window', window('        - { days: [mon], from: "09:00", untill: "17:00" }\n'), 'workflows[0].hours.open[0].untill: unknown field'],
    ['a typo in after_hours', withHours(OFFICE, '    after_hours: { owner_chanel: C0NIGHT001 }\n'), 'workflows[0].after_hours.owner_chanel: unknown field'],
    ['a bad after-hours number', withHours(OFFICE, '    after_hours: { sms_to: ["0800 NURSE"] }\n'), 'workflows[0].after_hours.sms_to[0]: must be an E.164'],
    ['a bad after-hours channel', withHours(OFFICE, '    after_hours: { owner_channel: night }\n'), 'workflows[0].after_hours.owner_channel: must be a Slack channel id'],
  ])('names the YAML path for %s', (_name, yaml, expected) => {
    const issues = issuesOf(yaml);
    expect(issues.some((i) => i.startsWith(expected)), issues.join('\n')).toBe(true);
  });
});
