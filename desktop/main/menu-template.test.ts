import { describe, expect, it } from 'vitest';
import { view } from '../../test/support/fixtures.js';
import { buildTrayModel } from '../core/tray-model.js';
import { toMenuTemplate } from './menu-template.js';

describe('tray menu template', () => {
  it('wires each handoff action and command to the handlers', () => {
    const calls: string[] = [];
    const model = buildTrayModel({ handoffs: [view({ id: 'ho_a' })], connection: 'online', paused: false, now: Date.parse('2025-01-01T10:00:00Z') });
    const template = toMenuTemplate(model, {
      onHandoffAction: (id, a) => calls.push(`${id}:${a}`),
      onCommand: (c) => calls.push(c),
    });
    expect(template[0]).toEqual({ label: 'Online', enabled: false });
    const handoff = template.find((t) => Array.isArray(t.submenu));
    const sub = handoff?.submenu as { label: string; click: () => void }[];
    expect(sub.map((s) => s.label)).toEqual(['Claim', 'Resolve', 'Open in Slack']);
    for (const s of sub) s.click();
    template.filter((t) => t.label === 'Quit Handoff' || t.label === 'Open window').forEach((t) => (t.click as () => void)());
    expect(calls).toEqual(['ho_a:claim', 'ho_a:resolve', 'ho_a:open-slack', 'open-window', 'quit']);
  });
});
