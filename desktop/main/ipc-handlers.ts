/**
 * Registers the IPC handlers of the contract. Every handler checks that the sender
 * frame shows our own renderer file and parses the payload with the contract's zod
 * schema before the controller sees it. Nothing happens at import time.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { DesktopController } from '../core/desktop-controller.js';
import { isTrustedSenderUrl } from '../core/url-policy.js';
import { ipcContract, type IpcChannel, type IpcResponse } from '../shared/ipc.js';
import type { z } from 'zod';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  controller: DesktopController;
  /** file:// URL of renderer/index.html */
  rendererUrl: string;
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
    'handoff:resolve': (r) => c.resolve(r.id),
    'handoff:open-slack': (r) => c.openInSlack(r.id),
    'handoff:save-settings': (r) => c.saveSettings(r),
    'handoff:pair': (r) => c.pair(r.serverUrl, r.code),
    'handoff:unpair': () => c.unpair(),
  };
  const channels = Object.keys(handlers) as IpcChannel[];
  for (const channel of channels) {
    deps.ipcMain.handle(channel, (event: IpcMainInvokeEvent, raw: unknown) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, deps.rendererUrl)) throw new IpcRejectedError('untrusted_sender');
      const parsed = ipcContract[channel].request.safeParse(raw ?? {});
      if (!parsed.success) throw new IpcRejectedError('invalid_payload');
      return (handlers[channel] as (r: unknown) => unknown)(parsed.data);
    });
  }
  return () => channels.forEach((ch) => deps.ipcMain.removeHandler(ch));
}
