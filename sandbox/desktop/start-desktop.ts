/**
 * The desktop app inside `npm run sandbox`: the real controller (desktop/core) with
 * its own SQLite file, paired with the sandbox bot as a sample user through the real
 * `POST /v1/desktop/pair`, following the real `GET /v1/events`. Electron's parts are
 * replaced by the browser: the window is served under /desktop/, IPC goes over
 * HTTP, notifications become toasts, openExternal becomes a new tab.
 */
import { join } from 'node:path';
import type { Bot } from '../../bot/app.js';
import { createDesktopController, type DesktopController, type TokenVault } from '../../desktop/core/desktop-controller.js';
import { openLocalStore } from '../../desktop/core/local-store.js';
import type { FallbackHandler } from '../slack-emulator/index.js';
import { buildDesktopAssets } from './desktop-assets.js';
import { createDesktopView, type DesktopView } from './desktop-view.js';
import { createExternalLinks, createIpcDispatcher } from './ipc-dispatcher.js';
import { DESKTOP_PATH, type SandboxNotice } from './wire.js';

/** Alice Moreno of the emulator's sample users. */
export const SANDBOX_DESKTOP_USER = 'U0ALICE01';
const MAX_NOTICES = 50;

export interface SandboxDesktopOptions {
  bot: Pick<Bot, 'url' | 'pairing'>;
  /** The local store and the built renderer go here. */
  dataDir: string;
  /** The sandbox page's base URL (the emulator's origin). */
  pageUrl: string;
  userId?: string;
}

export interface SandboxDesktop {
  /** The window, e.g. http://127.0.0.1:4000/desktop/ */
  url: string;
  userId: string;
  controller: DesktopController;
  /** Notifications shown so far, newest last (title and body as the policy made them). */
  readonly notices: readonly SandboxNotice[];
  handle: FallbackHandler;
  close(): Promise<void>;
}

export class SandboxDesktopError extends Error {
  constructor(readonly code: string) {
    super(`the sandbox desktop app could not pair: ${code}`);
  }
}

/** In memory: the sandbox pairs again at every start (Electron keeps it encrypted by the OS keychain). */
function memoryVault(): TokenVault {
  let token: string | null = null;
  return { get: () => token, set: (t) => void (token = t) };
}

/** Only the emulator's own message links (on the page's origin) are opened by the sandbox. */
export function sandboxPermalink(link: string | null | undefined, pageUrl: string): string | null {
  if (!link) return null;
  try {
    const u = new URL(link);
    return u.origin === new URL(pageUrl).origin && /^\/archives\/[A-Z0-9]+\/p\d+$/.test(u.pathname) && !u.search ? u.toString() : null;
  } catch {
    return null;
  }
}

export async function startSandboxDesktop(opts: SandboxDesktopOptions): Promise<SandboxDesktop> {
  const userId = opts.userId ?? SANDBOX_DESKTOP_USER;
  const assets = await buildDesktopAssets(join(opts.dataDir, 'desktop-renderer'));
  const store = openLocalStore({ path: join(opts.dataDir, 'desktop.db') });
  const notices: SandboxNotice[] = [];
  const links = createExternalLinks();
  // The view needs the controller's state and the controller pushes to the view.
  let view: DesktopView | null = null;
  const controller = createDesktopController({
    store,
    vault: memoryVault(),
    deviceName: 'Sandbox browser tab',
    notify: (notice) => {
      notices.push(notice);
      if (notices.length > MAX_NOTICES) notices.shift();
      view?.pushNotice(notice);
    },
    onTrayChange: () => undefined,
    onStateChanged: (state) => view?.pushState(state),
    openExternal: links.openExternal,
    setAutoLaunch: () => undefined,
  });
  const dispatcher = createIpcDispatcher(controller, links);
  view = createDesktopView({
    assets,
    dispatcher,
    getState: () => controller.getState(),
    // The mirror may predate the card (posted after the handoff's last event): ask the bot then.
    sandboxPermalink: async (id) =>
      sandboxPermalink(store.getHandoff(id)?.slack_permalink ?? (await controller.refreshHandoff(id))?.slack_permalink, opts.pageUrl),
  });
  const shown = view;

  const close = async (): Promise<void> => {
    controller.stop();
    shown.close();
    dispatcher.close();
    store.close();
  };
  try {
    const { code } = await opts.bot.pairing.issueCode(userId);
    const paired = await controller.pair(opts.bot.url, code);
    if (!paired.ok) throw new SandboxDesktopError(paired.error.code);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url: new URL(DESKTOP_PATH, opts.pageUrl).toString(),
    userId,
    controller,
    notices,
    handle: shown.handle,
    close,
  };
}
