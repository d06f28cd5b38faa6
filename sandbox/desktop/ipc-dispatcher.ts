/**
 * Runs the desktop app's own IPC handlers (desktop/main/ipc-handlers.ts: contract
 * zod parsing, then the controller) without Electron: a stand-in `ipcMain` collects
 * them and HTTP requests invoke them. The sender-frame check of Electron is replaced
 * by the HTTP layer's same-origin check, so every call presents the renderer's URL.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IpcMainInvokeEvent } from 'electron';
import type { DesktopController } from '../../desktop/core/desktop-controller.js';
import { IpcRejectedError, registerIpcHandlers } from '../../desktop/main/ipc-handlers.js';

type Handler = (event: IpcMainInvokeEvent, raw: unknown) => unknown;

const RENDERER_URL = 'file:///handoff-sandbox/desktop/index.html';

export class DispatchError extends Error {
  constructor(readonly code: 'unknown_channel' | 'invalid_payload') {
    super(code);
  }
}

export interface IpcDispatcher {
  /** `opened`: the URL the call asked to open externally (the browser opens it in a new tab). */
  invoke(channel: string, raw: unknown): Promise<{ result: unknown; opened: string | null }>;
  close(): void;
}

/**
 * The controller's `openExternal` for a browser: it cannot open anything itself, so it
 * hands the URL back to the HTTP request whose IPC call asked for it.
 */
export interface ExternalLinks {
  openExternal(url: string): Promise<void>;
  capture<T>(fn: () => Promise<T>): Promise<{ value: T; opened: string | null }>;
}

export function createExternalLinks(): ExternalLinks {
  const scope = new AsyncLocalStorage<{ url: string | null }>();
  return {
    openExternal(url) {
      const slot = scope.getStore();
      if (!slot) return Promise.reject(new Error('no browser tab asked to open a link'));
      slot.url = url;
      return Promise.resolve();
    },
    async capture(fn) {
      const slot: { url: string | null } = { url: null };
      const value = await scope.run(slot, fn);
      return { value, opened: slot.url };
    },
  };
}

export function createIpcDispatcher(controller: DesktopController, links: ExternalLinks): IpcDispatcher {
  const handlers = new Map<string, Handler>();
  // Every request comes from the sandbox's own window page: one stand-in frame for all of them.
  const tab = { url: RENDERER_URL };
  const unregister = registerIpcHandlers({
    ipcMain: {
      handle: (channel, listener) => void handlers.set(channel, listener as Handler),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    controller,
    isOwnFrame: (frame) => frame === tab,
  });
  const event = { senderFrame: tab } as unknown as IpcMainInvokeEvent;
  return {
    async invoke(channel, raw) {
      const handler = handlers.get(channel);
      if (!handler) throw new DispatchError('unknown_channel');
      try {
        const { value, opened } = await links.capture(async () => handler(event, raw));
        return { result: value, opened };
      } catch (err) {
        if (err instanceof IpcRejectedError && err.code === 'invalid_payload') throw new DispatchError('invalid_payload');
        throw err;
      }
    },
    close: unregister,
  };
}
