/** The one small window (list + settings), created on demand, with locked-down web preferences. */
import { BrowserWindow } from 'electron';

export interface WindowDeps {
  preloadPath: string;
  rendererFile: string;
  iconPath: string;
}

export interface WindowManager {
  show(handoffId?: string): void;
  send(channel: string, payload: unknown): void;
}

export function createWindowManager(deps: WindowDeps): WindowManager {
  let win: BrowserWindow | null = null;

  function create(): BrowserWindow {
    const w = new BrowserWindow({
      width: 460,
      height: 640,
      show: false,
      title: 'Handoff',
      icon: deps.iconPath,
      autoHideMenuBar: true,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: deps.preloadPath },
    });
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    w.webContents.on('will-navigate', (e) => e.preventDefault());
    w.webContents.on('will-redirect', (e) => e.preventDefault());
    w.webContents.session.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    w.on('closed', () => (win = null));
    return w;
  }

  return {
    show(handoffId) {
      if (!win) {
        win = create();
        void win.loadFile(deps.rendererFile, handoffId ? { hash: `handoff=${handoffId}` } : undefined);
        win.once('ready-to-show', () => win?.show());
        return;
      }
      if (handoffId) void win.loadFile(deps.rendererFile, { hash: `handoff=${handoffId}` });
      win.show();
      win.focus();
    },
    send(channel, payload) {
      win?.webContents.send(channel, payload);
    },
  };
}
