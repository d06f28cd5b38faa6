/**
 * Registers the IPC handlers of the contract. Every handler checks that the sender is the
 * main frame of our own window (compared as a frame, never by URL: see window.ts) showing a
 * file: page, and parses the payload with the contract's zod schema before the controller
 * sees it. Nothing happens at import time.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { DesktopController } from '../core/desktop-controller.js';
import { ipcContract, type IpcChannel, type IpcResponse } from '../shared/ipc.js';
import type { z } from 'zod';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  controller: DesktopController;
  /** True for our window's main frame (WindowManager.isOwnFrame). */
  isOwnFrame: (frame: object | null) => boolean;
}

type Handlers = {
  [C in IpcChannel]: (req: z.infer<(typeof ipcContract)[C]['request']>) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

export class IpcRejectedError extends Error {
  constructor(readonly code: 'untrusted_sender' | 'invalid_payload') {
    super(code);
  }
}

export function registerIpcHandlers(deps: IpcDeps): () => void {
  const c = deps.controller;
  const handlers: Handlers = {
    'handoff:get-state': () => c.getState(),
    'handoff:claim': (r) => c.claim(r.id),
    'handoff:resolve': (r) => c.resolve(r.id, r.outcome),
    'handoff:open-slack': (r) => c.openInSlack(r.id),
    'handoff:save-settings': (r) => c.saveSettings(r),
    'handoff:pair': (r) => c.pair(r.serverUrl, r.code),
    'handoff:unpair': () => c.unpair(),
  };
  const channels = Object.keys(handlers) as IpcChannel[];
  for (const channel of channels) {
    deps.ipcMain.handle(channel, (event: IpcMainInvokeEvent, raw: unknown) => {
      const frame = event.senderFrame;
      // Navigation away is blocked in window.ts; the protocol check guards a navigation that slipped through.
      if (!frame || !deps.isOwnFrame(frame) || !frame.url.startsWith('file:')) throw new IpcRejectedError('untrusted_sender');
      const parsed = ipcContract[channel].request.safeParse(raw ?? {});
      if (!parsed.success) throw new IpcRejectedError('invalid_payload');
      return (handlers[channel] as (r: unknown) => unknown)(parsed.data);
    });
  }
  return () => channels.forEach((ch) => deps.ipcMain.removeHandler(ch));
}
