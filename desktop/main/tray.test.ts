import { describe, expect, it } from 'vitest';
import { buildTrayModel } from '../core/tray-model.js';
import { createElectronStubs } from '../../test/support/desktop/electron-stubs.js';
import { view } from '../../test/support/fixtures.js';
import { registerTray, TRAY_GUID } from './tray.js';

describe('tray', () => {
  it('redraws once per batch with the newest model, however many updates arrive', () => {
    const stubs = createElectronStubs({ appData: '/tmp' });
    const queued: (() => void)[] = [];
    const tray = registerTray({
      ...stubs.electron,
      assetsDir: '/a',
      platform: 'linux',
      onClick: () => undefined,
      onHandoffAction: () => undefined,
      onCommand: () => undefined,
      schedule: (fn) => queued.push(fn),
    });
    const now = Date.parse('2025-01-01T10:00:00Z');
    for (let i = 0; i < 5000; i++) {
      tray.update(buildTrayModel({ handoffs: [view({ id: `ho_${i}` })].slice(0, i === 4999 ? 1 : 0), connection: 'online', paused: false, now }));
    }
    expect(queued).toHaveLength(1);
    queued[0]!();
    const t = stubs.trays[0]!;
    expect(t.menus).toBe(1);
    expect(t.tooltips).toEqual(['Handoff: 1 needs an owner']);
    expect(t.guid).toBeUndefined(); // Linux trays take no GUID
  });

  it('on Windows opens the window on a left click and keeps its place with a fixed GUID', () => {
    const stubs = createElectronStubs({ appData: '/tmp' });
    let opened = 0;
    registerTray({ ...stubs.electron, assetsDir: '/a', platform: 'win32', onClick: () => opened++, onHandoffAction: () => undefined, onCommand: () => undefined });
    expect(stubs.trays[0]?.guid).toBe(TRAY_GUID);
    stubs.trays[0]!.emit('click');
    expect(opened).toBe(1);
  });
});
