/**
 * The only bridge between the renderer and main: `window.handoff`, one method per
 * contract channel. Bundled to CommonJS (sandboxed preloads cannot load modules).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppState, HandoffBridge } from '../shared/ipc.js';
import { BRIDGE_METHODS, IPC_STATE_CHANGED } from '../shared/ipc-channels.js';

const invoke = (channel: string) => (request: unknown) => ipcRenderer.invoke(channel, request);

const bridge = {
  ...Object.fromEntries(Object.entries(BRIDGE_METHODS).map(([method, channel]) => [method, invoke(channel)])),
  onStateChanged(listener: (state: AppState) => void) {
    const wrapped = (_e: IpcRendererEvent, state: AppState) => listener(state);
    ipcRenderer.on(IPC_STATE_CHANGED, wrapped);
    return () => void ipcRenderer.removeListener(IPC_STATE_CHANGED, wrapped);
  },
} as HandoffBridge;

contextBridge.exposeInMainWorld('handoff', bridge);
