/** The one small window (list + settings), created on demand, with locked-down web preferences. */
import type { AppApi, ElectronApi, WindowApi } from './electron-api.js';

export interface WindowDeps {
  BrowserWindow: ElectronApi['BrowserWindow'];
  preloadPath: string;
  rendererFile: string;
  iconPath: string;
  /** macOS: the app is tray-only (LSUIElement); the Dock icon shows while the window is open. */
  dock?: AppApi['dock'];
}

export interface WindowManager {
  show(handoffId?: string): void;
  send(channel: string, payload: unknown): void;
  /**
   * True only for the main frame of our own window. Comparing frames, not URLs: a file URL
   * built by Node and the one Chromium reports differ in drive-letter case and `%` escaping.
   */
  isOwnFrame(frame: object | null | undefined): boolean;
  readonly isOpen: boolean;
}

export function createWindowManager(deps: WindowDeps): WindowManager {
  let win: WindowApi | null = null;

  function create(): WindowApi {
    const w = new deps.BrowserWindow({
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
    w.on('closed', () => {
      win = null;
      deps.dock?.hide();
    });
    return w;
  }

  const hash = (handoffId?: string) => (handoffId ? { hash: `handoff=${handoffId}` } : undefined);

  return {
    show(handoffId) {
      void deps.dock?.show();
      if (!win || win.isDestroyed()) {
        const w = create();
        win = w;
        w.once('ready-to-show', () => w.show());
        void w.loadFile(deps.rendererFile, hash(handoffId));
        return;
      }
      // Only the fragment changes: Chromium navigates within the page, nothing reloads.
      if (handoffId) void win.loadFile(deps.rendererFile, hash(handoffId));
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
    send(channel, payload) {
      if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
    },
    isOwnFrame(frame) {
      return frame != null && win !== null && !win.isDestroyed() && frame === win.webContents.mainFrame;
    },
    get isOpen() {
      return win !== null && !win.isDestroyed();
    },
  };
}
