/**
 * Channel names of the IPC contract (ipc.ts), without zod, so the sandboxed preload
 * bundle stays small. ipc.ts checks at compile time that each one is a contract channel.
 */

/** Main -> renderer push: the whole state, sent whenever it changes. */
export const IPC_STATE_CHANGED = 'handoff:state-changed' as const;

/** The names the preload bridge exposes on `window.handoff`, one per channel. */
export const BRIDGE_METHODS = {
  getState: 'handoff:get-state',
  claim: 'handoff:claim',
  resolve: 'handoff:resolve',
  openInSlack: 'handoff:open-slack',
  saveSettings: 'handoff:save-settings',
  pair: 'handoff:pair',
  unpair: 'handoff:unpair',
} as const;
