import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchConnectivity, type ConnectivityReason } from './connectivity.js';

describe('connectivity watch', () => {
  it('reports resume, unlock and a return online (not staying online), and nothing after stop', () => {
    const powerMonitor = new EventEmitter();
    let online = true;
    let tick: () => void = () => undefined;
    const seen: ConnectivityReason[] = [];
    const stop = watchConnectivity({
      powerMonitor,
      isOnline: () => online,
      onChange: (r) => seen.push(r),
      setInterval: (fn) => (tick = fn),
      clearInterval: () => undefined,
    });
    tick();
    powerMonitor.emit('resume');
    online = false;
    tick();
    online = true;
    tick();
    tick();
    powerMonitor.emit('unlock-screen');
    expect(seen).toEqual(['resume', 'online', 'unlock-screen']);
    stop();
    powerMonitor.emit('resume');
    expect(seen).toHaveLength(3);
  });
});
