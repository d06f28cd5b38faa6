import { describe, expect, it } from 'vitest';
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import type { ConnectionState } from '../shared/ipc.js';
import { CALLER_ID, view } from '../../test/support/fixtures.js';
import { buildTrayModel, formatAge, TrayIconState, type TrayMenuItem } from './tray-model.js';

const NOW = Date.parse('2025-01-01T10:05:00Z');

function model(handoffs: HandoffView[], connection: ConnectionState = 'online', paused = false) {
  return buildTrayModel({ handoffs, connection, paused, now: NOW });
}

const handoffItems = (menu: TrayMenuItem[]) => menu.filter((i) => i.kind === 'handoff');

describe('tray model', () => {
  it.each<[string, HandoffView[], ConnectionState, TrayIconState, number]>([
    ['idle with nothing mirrored', [], 'online', TrayIconState.Idle, 0],
    ['urgent while an urgent handoff is unclaimed', [view()], 'online', TrayIconState.Urgent, 1],
    ['idle once the urgent handoff is claimed', [view({ status: 'claimed' })], 'online', TrayIconState.Idle, 0],
    ['urgent for an escalated normal handoff', [view({ severity: 'normal', escalation_level: 1 })], 'online', TrayIconState.Urgent, 1],
    ['idle for an unescalated high handoff', [view({ severity: 'high' })], 'online', TrayIconState.Idle, 0],
    ['no badge for resolved', [view({ status: 'resolved' })], 'online', TrayIconState.Idle, 0],
    ['offline wins over urgent', [view()], 'offline', TrayIconState.Offline, 1],
    ['error when the token was refused', [view()], 'unauthorized', TrayIconState.Error, 1],
    ['error when not paired', [], 'unpaired', TrayIconState.Error, 0],
    ['connecting shows the work state', [view()], 'connecting', TrayIconState.Urgent, 1],
    [
      'counts every urgent-or-escalated unclaimed handoff',
      [view({ id: 'a' }), view({ id: 'b', severity: 'low', escalation_level: 2 }), view({ id: 'c', status: 'claimed' })],
      'online',
      TrayIconState.Urgent,
      2,
    ],
  ])('%s', (_name, handoffs, connection, icon, badge) => {
    const m = model(handoffs, connection);
    expect(m.icon).toBe(icon);
    expect(m.badgeCount).toBe(badge);
  });

  it('lists each unclaimed handoff, most severe first, with Claim, Resolve and Open in Slack', () => {
    const m = model([
      view({ id: 'ho_normal', severity: 'normal', escalation_level: 0 }),
      view({ id: 'ho_claimed', status: 'claimed' }),
      view({ id: 'ho_urgent', received_at: '2025-01-01T10:00:00Z' }),
    ]);
    const items = handoffItems(m.menu);
    expect(items.map((i) => i.kind === 'handoff' && i.id)).toEqual(['ho_urgent', 'ho_normal']);
    const first = items[0];
    if (first?.kind !== 'handoff') throw new Error('expected a handoff item');
    expect(first.label).toBe('URGENT · Clinic after-hours line · emergency or sensitive request · 5 min');
    expect(first.actions.map((a) => [a.action, a.enabled])).toEqual([
      ['claim', true],
      ['resolve', true],
      ['open-slack', true],
    ]);
  });

  it('offers Open in Slack without a link yet (the app asks the server), not for a link outside Slack', () => {
    const items = handoffItems(
      model([view({ id: 'a', slack_permalink: null }), view({ id: 'b', slack_permalink: 'https://evil.test/x' })]).menu,
    );
    const enabled = (id: string) => {
      const item = items.find((i) => i.kind === 'handoff' && i.id === id);
      return item?.kind === 'handoff' ? item.actions.find((a) => a.action === 'open-slack')?.enabled : undefined;
    };
    expect(enabled('a')).toBe(true);
    expect(enabled('b')).toBe(false);
  });

  it('never puts caller data in the menu or tooltip', () => {
    const m = model([view()]);
    expect(JSON.stringify(m)).not.toContain(CALLER_ID);
    expect(JSON.stringify(m)).not.toContain('Ada Lovelace');
  });

  it('ends with Open window, Pause notifications and Quit, and offers Resume while paused', () => {
    const commands = (paused: boolean) => model([], 'online', paused).menu.flatMap((i) => (i.kind === 'command' ? [i.command] : []));
    expect(commands(false)).toEqual(['open-window', 'pause-notifications', 'quit']);
    expect(commands(true)).toEqual(['open-window', 'resume-notifications', 'quit']);
  });

  it('caps the menu and says how many more are in the window', () => {
    const many = Array.from({ length: 13 }, (_, i) => view({ id: `ho_${i}` }));
    const m = buildTrayModel({ handoffs: many, connection: 'online', paused: false, now: NOW, maxMenuHandoffs: 10 });
    expect(handoffItems(m.menu)).toHaveLength(10);
    expect(m.menu).toContainEqual({ kind: 'status', label: '+3 more in the window' });
    expect(m.tooltip).toBe('Handoff: 13 need an owner');
  });

  it.each([
    ['2025-01-01T10:04:30Z', 'just now'],
    ['2025-01-01T09:05:00Z', '1 h'],
    ['2024-12-30T10:05:00Z', '2 d'],
  ])('formats the age of %s as %s', (at, age) => {
    expect(formatAge(at, NOW)).toBe(age);
  });
});
