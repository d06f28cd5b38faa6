import { describe, expect, it } from 'vitest';
import { createElectronStubs } from '../../test/support/desktop/electron-stubs.js';
import { createNotifier } from './notifier.js';

const notice = (id: string, urgent = true) => ({ handoffId: id, title: 'Urgent handoff', body: 'Clinic line', urgent });

describe('notifier', () => {
  it('holds each notification until click, close or failure; a click opens the handoff', () => {
    const stubs = createElectronStubs({ appData: '/tmp' });
    const clicked: string[] = [];
    const n = createNotifier({ Notification: stubs.electron.Notification, onClick: (id) => clicked.push(id) });
    n.show(notice('ho_a'));
    n.show(notice('ho_b', false));
    n.show(notice('ho_c'));
    expect(n.live).toBe(3);
    expect(stubs.notifications.map((x) => x.options.timeoutType)).toEqual(['never', 'default', 'never']);
    stubs.notifications[0]!.emit('click');
    stubs.notifications[1]!.emit('close');
    stubs.notifications[2]!.emit('failed');
    expect(n.live).toBe(0);
    expect(clicked).toEqual(['ho_a']);
  });

  it('keeps at most 100 when a platform never reports close, and shows nothing where unsupported', () => {
    const stubs = createElectronStubs({ appData: '/tmp' });
    const n = createNotifier({ Notification: stubs.electron.Notification, onClick: () => undefined });
    for (let i = 0; i < 150; i++) n.show(notice(`ho_${i}`));
    expect(n.live).toBe(100);
    const none = createNotifier({ Notification: Object.assign(stubs.electron.Notification, { isSupported: () => false }), onClick: () => undefined });
    none.show(notice('ho_x'));
    expect(stubs.notifications).toHaveLength(150);
  });
});
