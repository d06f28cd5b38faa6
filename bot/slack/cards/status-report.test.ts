import { commandUsage } from '../interactions/route-table.js';
import { describe, expect, it } from 'vitest';
import type { SlackMessage } from './blocks.js';
import {
  type HandoffListItem,
  type StatusSummary,
  buildHandoffTimeline,
  buildHelp,
  buildMineReport,
  buildStatusReport,
  eventText,
} from './status-report.js';
import { allText, messageProblems } from '../../../test/support/cards/check-message.js';
import { MIN, T0, sampleInput } from '../../../test/support/fixtures.js';

const zero = { open: 0, claimed: 0, escalated: 0 };

function item(n: number, over: Partial<HandoffListItem> = {}): HandoffListItem {
  return {
    handoffId: `ho_item${n}`,
    workflowName: 'Clinic after-hours line',
    reason: 'billing_question',
    severity: 'normal',
    status: 'open',
    escalationLevel: 0,
    receivedAt: T0 - n * MIN,
    claimedBy: null,
    claimedAt: null,
    permalink: `https://acme.slack.com/archives/C0CLINIC/p${1000 + n}`,
    ...over,
  };
}

const sectionTexts = (msg: SlackMessage, prefix: string): string =>
  msg.blocks
    .filter((b) => b.block_id.startsWith(prefix))
    .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : b.type === 'context' ? b.elements.map((e) => e.text).join(' ') : ''))
    .join('\n');

describe('buildStatusReport', () => {
  const summary: StatusSummary = {
    now: T0,
    counts: { low: zero, normal: { open: 3, claimed: 1, escalated: 0 }, high: zero, urgent: { open: 1, claimed: 2, escalated: 1 } },
    oldestUnclaimedAt: T0 - 65 * MIN,
    openHandoffs: Array.from({ length: 12 }, (_, i) => item(i)),
  };
  const report = buildStatusReport(summary);

  it('counts open, claimed and escalated handoffs in total and by severity, most severe first', () => {
    const counts = report.blocks.find((b) => b.block_id === 'ho_status_counts');
    expect(counts?.type === 'section' && counts.text?.text).toBe('*4* open · *3* claimed · *1* escalated\nOldest unclaimed: *1h 5m*');
    expect(counts?.type === 'section' && counts.fields?.map((f) => f.text)).toEqual([
      '*Urgent* 🚨\n1 open · 2 claimed · 1 escalated',
      '*High* 🟠\n0 open · 0 claimed · 0 escalated',
      '*Normal* 🔵\n3 open · 1 claimed · 0 escalated',
      '*Low* ⚪\n0 open · 0 claimed · 0 escalated',
    ]);
    expect(report.text).toBe('Handoffs: 4 open, 3 claimed, 1 escalated');
  });

  it('lists the first 10 open handoffs with links to their cards and says how many more there are', () => {
    const list = sectionTexts(report, 'ho_status_list');
    const lines = list.split('\n').filter((l) => l.startsWith('Normal 🔵'));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      'Normal 🔵 <https://acme.slack.com/archives/C0CLINIC/p1000|billing_question> · Clinic after-hours line · Open · 0m · `ho_item0`',
    );
    expect(list).toContain('+2 more not listed');
    expect(messageProblems(report, { urls: summary.openHandoffs.map((i) => i.permalink ?? '') })).toEqual([]);
  });

  it('counts handoffs the query did not return when openTotal says there are more', () => {
    const cut = buildStatusReport({ ...summary, openHandoffs: summary.openHandoffs.slice(0, 10), openTotal: 57 });
    expect(sectionTexts(cut, 'ho_status_list')).toContain('+47 more not listed');
  });

  it('shows the handoff id in place of a link when there is no permalink, and who claimed it', () => {
    const line = sectionTexts(
      buildStatusReport({ ...summary, openHandoffs: [item(1, { permalink: null, status: 'claimed', claimedBy: 'U0CLAIMER1', severity: 'urgent', escalationLevel: 1 })] }),
      'ho_status_list',
    );
    expect(line).toBe('Urgent 🚨 *billing_question* · Clinic after-hours line · Claimed by <@U0CLAIMER1> · escalated (level 1) · 1m · `ho_item1`');
  });

  it('says so when nothing is open', () => {
    const empty = buildStatusReport({ now: T0, counts: { low: zero, normal: zero, high: zero, urgent: zero }, oldestUnclaimedAt: null, openHandoffs: [] });
    expect(allText(empty)).toContain('Nothing is waiting for a person.');
    expect(allText(empty)).toContain('No open handoffs.');
    expect(messageProblems(empty)).toEqual([]);
  });
});

describe('buildHandoffTimeline', () => {
  const handoff = { ...sampleInput({ status: 'resolved', claimedBy: 'U0CLAIMER1', resolvedBy: 'U0CLAIMER1' }), permalink: 'https://acme.slack.com/archives/C0CLINIC/p1' };

  it('lists each event with its time, type and actor, including a callback that was given up', () => {
    const timeline = buildHandoffTimeline(handoff, [
      { type: 'handoff.received', actor: null, at: T0 },
      { type: 'handoff.claimed', actor: 'U0CLAIMER1', at: T0 + MIN },
      // As bot/actions/perform-action.ts writes it: a timer escalation has no actor, only trigger 'auto'.
      { type: 'handoff.escalated', actor: null, at: T0 + 2 * MIN, data: { status: 'claimed', severity: 'urgent', escalation_level: 1, trigger: 'auto' } },
      { type: 'callback.given_up', actor: null, at: T0 + 3 * MIN, data: { event: 'handoff.claimed', attempts: 12 } },
      { type: 'handoff.resolved', actor: 'U0CLAIMER1', at: T0 + 4 * MIN },
    ]);
    const lines = sectionTexts(timeline, 'ho_timeline_events').split('\n');
    expect(lines.map((l) => l.replace(/^<!date\^\d+\^[^>]*> — /, ''))).toEqual([
      'Received',
      'Claimed by <@U0CLAIMER1>',
      'Escalated to level 1 by auto-escalation',
      ':warning: Status callback `handoff.claimed` given up after 12 attempts',
      'Resolved by <@U0CLAIMER1>',
    ]);
    expect(lines[1]).toMatch(new RegExp(`^<!date\\^${(T0 + MIN) / 1000}\\^`));
    expect(messageProblems(timeline, { users: ['U0CLAIMER1'], urls: [handoff.permalink] })).toEqual([]);
    expect(timeline.text).toBe('Handoff ho_01HZXAMPLE: resolved');
  });

  it('keeps the most recent 40 events and counts the earlier ones', () => {
    const events = Array.from({ length: 45 }, (_, i) => ({ type: 'handoff.note_added', actor: 'U0AUTHOR01', at: T0 + i * MIN }));
    const timeline = buildHandoffTimeline(handoff, events);
    expect(sectionTexts(timeline, 'ho_timeline_events').split('\n')).toHaveLength(40);
    expect(allText(timeline)).toContain('5 earlier events not shown');
  });

  it('shows the level of a manual escalation, and still reads the older `level` key', () => {
    expect(eventText({ type: 'handoff.escalated', actor: 'U0CLAIMER1', at: T0, data: { escalation_level: 2, trigger: 'manual' } })).toBe('Escalated to level 2 by <@U0CLAIMER1>');
    expect(eventText({ type: 'handoff.escalated', actor: 'auto', at: T0, data: { level: 3 } })).toBe('Escalated to level 3 by auto-escalation');
    expect(eventText({ type: 'handoff.escalated', actor: null, at: T0 })).toBe('Escalated');
    expect(eventText({ type: 'handoff.escalated', actor: null, at: T0, data: { escalation_level: 1, trigger: 'auto', severity: 'urgent', severity_from: 'high' } })).toBe(
      'Escalated to level 1 by auto-escalation: severity raised from High to Urgent',
    );
    expect(eventText({ type: 'handoff.escalated', actor: null, at: T0, data: { escalation_level: 2, trigger: 'auto', severity: 'urgent', severity_from: 'urgent' } })).toBe(
      'Escalated to level 2 by auto-escalation',
    );
  });

  it('shows unknown event types by name, escaped', () => {
    expect(eventText({ type: '<!here> x', actor: null, at: T0 })).toBe('`&lt;!here&gt; x`');
  });
});

describe('buildMineReport and buildHelp', () => {
  it('lists the handoffs the user claimed', () => {
    const mine = buildMineReport([item(2, { status: 'claimed', claimedBy: 'U0ME000001' })], T0);
    expect(mine.text).toBe('You have 1 claimed handoff');
    expect(sectionTexts(mine, 'ho_mine_list')).toContain('Claimed by <@U0ME000001>');
    expect(buildMineReport([], T0).text).toBe('You have 0 claimed handoffs');
    expect(allText(buildMineReport([], T0))).toContain('You have no claimed handoffs.');
  });

  it('help names every subcommand', () => {
    const help = buildHelp(commandUsage());
    for (const cmd of ['/handoff status`', '/handoff status ho_…`', '/handoff mine`', '/handoff desktop`', '/handoff help`']) {
      expect(allText(help)).toContain(cmd);
    }
    expect(messageProblems(help)).toEqual([]);
  });
});
