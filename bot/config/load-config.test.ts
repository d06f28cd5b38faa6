import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { ConfigError, loadConfigFile, parseConfigText } from './load-config.js';

const ROOT = join(import.meta.dirname, '..', '..');

function issuesOf(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

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
    expect(wf.reasonSpecs.get('unspecified')).toMatchObject({ severity: 'normal', notify: ['slack'] });
    expect(wf.reasonSpecs.get('emergency')).toMatchObject({ severity: 'urgent', sensitive: true });
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
    ['a connect wait no platform holds a request for', VALID.replace('    fields:', '    connect: { wait: 10m }\n    fields:'), 'workflows[0].connect.wait: must be at most 120s'],
    ['a bad connect wait', VALID.replace('    fields:', '    connect: { wait: soon }\n    fields:'), 'workflows[0].connect.wait: must be a duration'],
    ['an empty fallback message', VALID.replace('    fields:', '    connect: { fallback_message: "" }\n    fields:'), 'workflows[0].connect.fallback_message:'],
    ['a typo in connect', VALID.replace('    fields:', '    connect: { wiat: 5s }\n    fields:'), 'workflows[0].connect.wiat: unknown field'],
    ['retention of zero days', `retention_days: 0\n${VALID}`, 'retention_days:'],
    ['retention shorter than the 7 days idempotency keys are kept', `retention_days: 6\n${VALID}`, 'retention_days: must be at least 7: idempotency keys are kept 7 days'],
  ])('names the YAML path for %s', (_name, yaml, expected) => {
    const issues = issuesOf(yaml);
    expect(issues.some((i) => i.startsWith(expected)), issues.join('\n')).toBe(true);
  });

  it('fills the connect defaults and reads people (SPEC section 9)', () => {
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
