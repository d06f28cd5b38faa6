/**
 * Tells the app when the network may have changed under the event stream: the machine woke
 * up or the screen was unlocked (powerMonitor), or it went from offline to online
 * (`net.isOnline()` polled, since Electron's main process has no `online` event).
 */
import type { PowerMonitorApi } from './electron-api.js';

export type ConnectivityReason = 'resume' | 'unlock-screen' | 'online';

export interface ConnectivityDeps {
  powerMonitor: PowerMonitorApi;
  isOnline: () => boolean;
  onChange: (reason: ConnectivityReason) => void;
  pollMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export function watchConnectivity(deps: ConnectivityDeps): () => void {
  let stopped = false;
  const fire = (reason: ConnectivityReason) => () => {
    if (!stopped) deps.onChange(reason);
  };
  deps.powerMonitor.on('resume', fire('resume'));
  deps.powerMonitor.on('unlock-screen', fire('unlock-screen'));
  let online = deps.isOnline();
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const clear = deps.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>));
  const handle = every(() => {
    const now = deps.isOnline();
    if (now && !online) fire('online')();
    online = now;
  }, deps.pollMs ?? 3_000);
  return () => {
    stopped = true;
    clear(handle);
  };
}
