import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import { routingAt } from './routing.js';
import { ladderOf } from '../config/ladder-levels.js';
import { levelAt, mentionFor, nextLevelDueAt, placePage, timerMayEscalate } from './ladder.js';

const MIN = 60_000;
const LADDER = ladderOf({
  levels: [
    { wait: { urgent: 5 * MIN, high: 30 * MIN }, mention: 'S0ONCALL01', sms_to: [] },
    { wait: { urgent: 10 * MIN, high: 10 * MIN }, channel: 'C0MANAGER1', mention: 'U0BOSS001', sms_to: ['+15555550111'] },
    { channel: 'C0DIRECTOR', sms_to: [] },
  ],
});

describe('ladderOf', () => {
  it('reads the older keys as a one-level ladder', () => {
    expect(ladderOf({ escalate_after: { urgent: 5 * MIN }, escalation_channel: 'C0ONCALL01', escalation_mention: 'S0ONCALL01' })).toEqual([
      { level: 1, waitMs: { urgent: 5 * MIN }, channel: 'C0ONCALL01', mention: 'S0ONCALL01', smsTo: [] },
    ]);
    expect(ladderOf({ escalation_channel: 'C0ONCALL01' })).toEqual([{ level: 1, waitMs: {}, channel: 'C0ONCALL01', mention: null, smsTo: [] }]);
  });

  it('numbers the levels from 1 in the order given', () => {
    expect(LADDER.map((l) => [l.level, l.channel, l.mention])).toEqual([
      [1, null, 'S0ONCALL01'],
      [2, 'C0MANAGER1', 'U0BOSS001'],
      [3, 'C0DIRECTOR', null],
    ]);
  });
});

describe('levelAt and mentionFor', () => {
  it.each([
    [0, null],
    [1, 1],
    [3, 3],
    [4, 3],
    [9, 3],
  ])('level %d pages rung %s (past the top: the top again)', (level, rung) => {
    expect(levelAt(LADDER, level)?.level ?? null).toBe(rung);
  });

  it('the card mentions level 1 before any escalation, then the current level', () => {
    expect([0, 1, 2, 3, 5].map((l) => mentionFor(LADDER, l))).toEqual(['S0ONCALL01', 'S0ONCALL01', 'U0BOSS001', null, null]);
  });
});

describe('nextLevelDueAt', () => {
  it.each([
    ['level 1 of an urgent handoff, from arrival', 0, 'urgent', 5 * MIN],
    ['level 1 of a high one', 0, 'high', 30 * MIN],
    ['no wait for normal: only a click escalates', 0, 'normal', null],
    ['level 2, from when level 1 paged', 1, 'urgent', 10 * MIN],
    ['level 3 has no wait: the timer stops at 2', 2, 'urgent', null],
    ['past the top', 3, 'urgent', null],
  ] as const)('%s', (_name, level, severity, wait) => {
    expect(nextLevelDueAt(LADDER, level, severity, 1_000)).toBe(wait === null ? null : 1_000 + wait);
  });

  it('the timer only climbs the configured rungs', () => {
    expect([0, 1, 2, 3, 4].map((l) => timerMayEscalate(LADDER, l))).toEqual([true, true, true, false, false]);
  });
});

describe('placePage', () => {
  const card = { channel: 'C0CLINIC01', ts: '100.000001', ownerChannel: 'C0CLINIC01' };
  it.each([
    ['a level without a channel pages in the card thread', null, [], { kind: 'card_thread', channel: 'C0CLINIC01', ts: '100.000001' }],
    ['a level in the card channel pages in the card thread', 'C0CLINIC01', [], { kind: 'card_thread', channel: 'C0CLINIC01', ts: '100.000001' }],
    ['a new channel gets a card', 'C0ONCALL01', [], { kind: 'new_card', channel: 'C0ONCALL01' }],
    [
      'a channel that has this handoff escalation card pages in its thread',
      'C0ONCALL01',
      [{ channel: 'C0ONCALL01', ts: '200.000001' }],
      { kind: 'escalation_thread', channel: 'C0ONCALL01', ts: '200.000001' },
    ],
    ['another channel card does not count', 'C0MANAGER1', [{ channel: 'C0ONCALL01', ts: '200.000001' }], { kind: 'new_card', channel: 'C0MANAGER1' }],
  ] as const)('%s', (_name, channel, cards, expected) => {
    expect(placePage(channel, card, cards)).toEqual(expected);
  });

  it('before the card is posted, a page for its channel becomes a card of its own (never lost)', () => {
    expect(placePage(null, { channel: null, ts: null, ownerChannel: 'C0CLINIC01' }, [])).toEqual({ kind: 'new_card', channel: 'C0CLINIC01' });
  });
});

describe('the ladder after hours', () => {
  const yaml = (extra: string) => `
workflows:
  - id: clinic
    name: Clinic
    owner_channel: C0CLINIC01
    levels:
      - { wait: 5m, mention: S0ONCALL01 }
      - { wait: 10m, channel: C0MANAGER1, mention: U0BOSS001 }
    hours:
      time_zone: UTC
      open:
        - { days: [mon, tue, wed, thu, fri, sat, sun], from: "08:00", to: "18:00" }
${extra}`;
  const NIGHT = Date.UTC(2026, 0, 6, 23, 0);
  const DAY = Date.UTC(2026, 0, 6, 12, 0);

  it('after_hours.levels replaces the ladder outside hours only', () => {
    const wf = parseConfigText(yaml('    after_hours:\n      levels:\n        - { wait: 2m, channel: C0NIGHT001, mention: S0NIGHT001, sms_to: ["+15555550199"] }\n')).workflows.get('clinic')!;
    expect(routingAt(wf, DAY).workflow.ladder.map((l) => l.mention)).toEqual(['S0ONCALL01', 'U0BOSS001']);
    expect(routingAt(wf, NIGHT).workflow.ladder).toEqual([{ level: 1, waitMs: { low: 120_000, normal: 120_000, high: 120_000, urgent: 120_000 }, channel: 'C0NIGHT001', mention: 'S0NIGHT001', smsTo: ['+15555550199'] }]);
  });

  it('the older escalation keys in after_hours do not mix with a workflow on levels', () => {
    expect(() => parseConfigText(yaml('    after_hours:\n      escalation_mention: S0NIGHT001\n'))).toThrow('workflows[0].after_hours.escalation_mention: the ladder is given by levels here: give after_hours.levels instead');
  });
});
