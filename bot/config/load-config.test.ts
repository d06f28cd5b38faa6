import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issuesOf } from '../../test/support/config-issues.js';
import { parseDuration } from './duration.js';
import { loadConfigFile, parseConfigText } from './load-config.js';

const ROOT = join(import.meta.dirname, '..', '..');

const VALID = `
workflows:
  - id: clinic
    name: Clinic
    owner_channel: C0CLINIC01
    escalation_channel: C0ONCALL01
    escalate_after: { urgent: 5m }
    fields:
      - { name: patient_name, type: text, required: true }
    reasons:
      emergency: { severity: urgent, sensitive: true, notify: [slack, sms] }
`;

describe('the shipped configs', () => {
  it.each(['handoff.config.example.yaml', 'sandbox/sandbox.config.yaml'])('%s is valid', (file) => {
    const config = loadConfigFile(join(ROOT, file));
    expect(config.workflows.size).toBeGreaterThanOrEqual(2);
    for (const wf of config.workflows.values()) expect(wf.reasonSpecs.has('unspecified')).toBe(true);
  });
});

describe('config validation', () => {
  it('accepts a minimal workflow and fills the defaults', () => {
    const config = parseConfigText(VALID);
    const wf = config.workflows.get('clinic')!;
    expect(config.retentionDays).toBe(30);
    expect(wf.allowed_users).toEqual([]);
    expect(wf.callbacks).toBe(true);
    expect(wf.escalate_after).toEqual({ urgent: 300_000 });
    expect(wf.ladder).toEqual([{ level: 1, waitMs: { urgent: 300_000 }, channel: 'C0ONCALL01', mention: null, smsTo: [] }]);
    expect(wf.reasonSpecs.get('unspecified')).toMatchObject({ severity: 'normal', notify: ['slack'] });
    expect(wf.reasonSpecs.get('emergency')).toMatchObject({ severity: 'urgent', sensitive: true });
    expect(wf.chat_data).toBe('full');
  });

  it('takes chat_data: link_only (docs/contract/regulated-workflows.md)', () => {
    const wf = parseConfigText(VALID.replace('    fields:', '    chat_data: link_only\n    fields:')).workflows.get('clinic')!;
    expect(wf.chat_data).toBe('link_only');
  });

  it.each([
    ['a wrong channel id', VALID.replace('C0CLINIC01', 'clinic-channel'), 'workflows[0].owner_channel: must be a Slack channel id'],
    ['an unknown field type', VALID.replace('type: text', 'type: texty'), 'workflows[0].fields[0].type:'],
    ['an enum without values', VALID.replace('type: text', 'type: enum'), 'workflows[0].fields[0].values: an enum field needs'],
    ['a bad duration', VALID.replace('urgent: 5m', 'urgent: soon'), 'workflows[0].escalate_after.urgent: must be a duration'],
    ['an unknown severity', VALID.replace('severity: urgent', 'severity: critical'), 'workflows[0].reasons.emergency.severity:'],
    ['an unknown key (a typo)', VALID.replace('escalation_channel', 'escalaton_channel'), 'workflows[0].escalaton_channel: unknown field'],
    ['a bad phone number', VALID.replace('    fields:', '    sms_to: ["555-0100"]\n    fields:'), 'workflows[0].sms_to[0]: must be an E.164'],
    ['no workflows', 'workflows: []', 'workflows: at least one workflow is required'],
    ['a duplicate workflow id', VALID + VALID.replace('workflows:\n', ''), 'workflows[1].id: duplicate workflow id "clinic"'],
    ['a duplicate field', VALID.replace('    reasons:', '      - { name: patient_name, type: text }\n    reasons:'), 'workflows[0].fields[1].name: duplicate field'],
    ['a person whose phone is not E.164', `people: { U0ALICE01: "555-0101" }\n${VALID}`, 'people.U0ALICE01: must be an E.164 phone number'],
    ['a person keyed by name, not Slack user id', `people: { alice: "+15555550101" }\n${VALID}`, 'people.alice: the key must be a Slack user id'],
    ['a connect wait Vapi cannot hold a request for', VALID.replace('    fields:', '    connect: { wait: 296s }\n    fields:'), 'workflows[0].connect.wait: must be at most 295s: Vapi holds a request at most 300s'],
    ['a bad connect wait', VALID.replace('    fields:', '    connect: { wait: soon }\n    fields:'), 'workflows[0].connect.wait: must be a duration'],
    ['an empty fallback message', VALID.replace('    fields:', '    connect: { fallback_message: "" }\n    fields:'), 'workflows[0].connect.fallback_message:'],
    ['a typo in connect', VALID.replace('    fields:', '    connect: { wiat: 5s }\n    fields:'), 'workflows[0].connect.wiat: unknown field'],
    ['an unknown chat_data', VALID.replace('    fields:', '    chat_data: links\n    fields:'), 'workflows[0].chat_data: must be full or link_only (full is the default)'],
    ['retention of zero days', `retention_days: 0\n${VALID}`, 'retention_days:'],
    ['retention shorter than the 7 days idempotency keys are kept', `retention_days: 6\n${VALID}`, 'retention_days: must be at least 7: idempotency keys are kept 7 days'],
  ])('names the YAML path for %s', (_name, yaml, expected) => {
    const issues = issuesOf(yaml);
    expect(issues.some((i) => i.startsWith(expected)), issues.join('\n')).toBe(true);
  });

  it('reads an escalation ladder: one wait for all severities or one per severity, each level its own channel, mention and SMS', () => {
    const ladder = `    levels:
      - { wait: 5m, mention: S0ONCALL01 }
      - { wait: { urgent: 10m, high: 1h }, channel: C0MANAGER1, mention: U0BOSS001, sms_to: ["+15555550111"] }
      - { channel: C0DIRECTOR }
    remind_after: 30m
`;
    const wf = parseConfigText(VALID.replace('    escalation_channel: C0ONCALL01\n    escalate_after: { urgent: 5m }\n', ladder)).workflows.get('clinic')!;
    expect(wf.ladder).toEqual([
      { level: 1, waitMs: { low: 300_000, normal: 300_000, high: 300_000, urgent: 300_000 }, channel: null, mention: 'S0ONCALL01', smsTo: [] },
      { level: 2, waitMs: { urgent: 600_000, high: 3_600_000 }, channel: 'C0MANAGER1', mention: 'U0BOSS001', smsTo: ['+15555550111'] },
      { level: 3, waitMs: {}, channel: 'C0DIRECTOR', mention: null, smsTo: [] },
    ]);
    expect(wf.remind_after).toBe(1_800_000);
  });

  const LADDER = (levels: string) => VALID.replace('    escalation_channel: C0ONCALL01\n    escalate_after: { urgent: 5m }\n', `    levels:\n${levels}`);
  it.each([
    ['a level with nothing to page', LADDER('      - { wait: 5m, mention: S0ONCALL01 }\n      - { wait: 10m }\n'), 'workflows[0].levels[1]: pages nobody: give it a channel, a mention or sms_to numbers'],
    ['a level whose only numbers are an empty list', LADDER('      - { wait: 5m, sms_to: [] }\n'), 'workflows[0].levels[0]: pages nobody'],
    ['a wait that is not a duration', LADDER('      - { wait: soon, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait: must be a duration'],
    ['a wait of zero', LADDER('      - { wait: 0m, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait: must be a duration'],
    ['a wait given as a number', LADDER('      - { wait: 5, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait: must be a duration such as 5m, or one per severity'],
    ['a wait longer than a week', LADDER('      - { wait: 8d, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait: must be at most 7d'],
    ['a bad per-severity wait', LADDER('      - { wait: { urgent: soon }, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait.urgent: must be a duration'],
    ['a wait for an unknown severity', LADDER('      - { wait: { critical: 5m }, mention: S0ONCALL01 }\n'), 'workflows[0].levels[0].wait.critical: unknown severity'],
    ['a level channel that is not a channel id', LADDER('      - { channel: oncall }\n'), 'workflows[0].levels[0].channel: must be a Slack channel id'],
    ['a level mention that is not a Slack id', LADDER('      - { mention: "@oncall" }\n'), 'workflows[0].levels[0].mention: must be a Slack user group id'],
    ['a level number that is not E.164', LADDER('      - { sms_to: ["555-0100"] }\n'), 'workflows[0].levels[0].sms_to[0]: must be an E.164'],
    ['a typo in a level', LADDER('      - { mention: S0ONCALL01, chanel: C0ONCALL01 }\n'), 'workflows[0].levels[0].chanel: unknown field'],
    ['an empty ladder', LADDER('      []\n').replace('levels:\n      []', 'levels: []'), 'workflows[0].levels: needs at least one level'],
    ['levels beside the older keys', VALID.replace('    fields:', '    levels: [{ mention: S0ONCALL01 }]\n    fields:'), 'workflows[0].escalation_channel: levels replaces this key'],
    ['neither levels nor an escalation channel', VALID.replace('    escalation_channel: C0ONCALL01\n', ''), 'workflows[0].escalation_channel: is required (or give levels'],
    ['a bad remind_after', VALID.replace('    fields:', '    remind_after: later\n    fields:'), 'workflows[0].remind_after: must be a duration'],
    ['a remind_after under a minute', VALID.replace('    fields:', '    remind_after: 30s\n    fields:'), 'workflows[0].remind_after: must be at least 1m'],
  ])('names the YAML path for %s', (_name, yaml, expected) => {
    const issues = issuesOf(yaml);
    expect(issues.some((i) => i.startsWith(expected)), issues.join('\n')).toBe(true);
  });

  it('fills the connect defaults and reads people (docs/contract/reaching-the-caller.md#configuration)', () => {
    const config = parseConfigText(`people: { U0ALICE01: "+15555550101" }\n${VALID.replace('    fields:', '    connect: { wait: 500ms }\n    fields:')}`);
    expect(config.people.get('U0ALICE01')).toBe('+15555550101');
    expect(config.workflows.get('clinic')!.connect).toEqual({
      wait: 500,
      fallback_message: 'Everyone is with another caller. A person will call you back shortly.',
      transfer_message: 'Connecting you to a person now.',
    });
    const plain = parseConfigText(VALID);
    expect(plain.people.size).toBe(0);
    expect(plain.workflows.get('clinic')!.connect.wait).toBe(15_000);
  });

  it('accepts the longest connect wait every platform holds (Vapi: 300s, less 5s for the answer)', () => {
    expect(parseConfigText(VALID.replace('    fields:', '    connect: { wait: 295s }\n    fields:')).workflows.get('clinic')!.connect.wait).toBe(295_000);
  });

  it('accepts retention_days of exactly 7', () => {
    expect(parseConfigText(`retention_days: 7\n${VALID}`).retentionDays).toBe(7);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(VALID.replace('C0CLINIC01', 'x').replace('C0ONCALL01', 'y').replace('urgent: 5m', 'urgent: never'));
    expect(issues).toHaveLength(3);
  });

  it('says where YAML that does not parse is broken, without echoing it', () => {
    const issues = issuesOf('workflows:\n  - id: [unclosed\n    secret_value: hunter2');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^line \d+: not valid YAML/);
    expect(issues[0]).not.toContain('hunter2');
  });

  it('names an unreadable file', () => {
    expect(() => loadConfigFile('/nonexistent/handoff.config.yaml')).toThrow('/nonexistent/handoff.config.yaml: (file): cannot be read (ENOENT)');
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    ['1s500ms', 1_500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', 'm5', '5 minutes', '-5m', '0m', '1.5h'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
});
