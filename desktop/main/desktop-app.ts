/**
 * The Electron main process, written against ElectronApi so tests can run it under Node with
 * stubs. Order matters: data folder and name first (the single-instance lock lives there), the
 * lock, then `second-instance` and `activate` BEFORE anything that can fail, so a later launch
 * always reaches this process; a failed start shows a dialog and exits instead of leaving an
 * invisible process holding the lock.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDesktopController, type DesktopController } from '../core/desktop-controller.js';
import { openLocalStore } from '../core/local-store.js';
import { isSlackPermalink } from '../core/url-policy.js';
import { IPC_STATE_CHANGED } from '../shared/ipc.js';
import { createAutoLaunch } from './auto-launch.js';
import { watchConnectivity } from './connectivity.js';
import type { ElectronApi, ProcessInfo } from './electron-api.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { createNotifier, type Notifier } from './notifier.js';
import { resolveSqliteBinding } from './sqlite-binding.js';
import { createTokenVault, UNENCRYPTED_TOKEN_FILE, type ManagedVault } from './token-vault.js';
import { registerTray } from './tray.js';
import { createWindowManager, type WindowManager } from './window.js';

export const APP_USER_MODEL_ID = 'com.handoff.desktop'; // = appId in electron-builder.yml
const DB_FILE = 'handoff-desktop.db';
const LOCKED_RETRY_MS = 30_000;
const TRAY_AGE_REFRESH_MS = 60_000;

export interface DesktopPaths {
  /** dist/desktop/main: the preload and renderer are found from here. */
  mainDir: string;
  /** desktop/assets inside the app. */
  assetsDir: string;
}

export interface RunningApp {
  controller: DesktopController;
  window: WindowManager;
  notifier: Notifier;
  vault: ManagedVault;
  /** The same shutdown `before-quit` runs. */
  shutdown(): void;
}

/** Dev and packaged builds keep separate data (and separate single-instance locks). */
export function dataFolderName(isPackaged: boolean): string {
  return isPackaged ? 'Handoff' : 'Handoff Dev';
}

export function startErrorMessage(err: unknown, userData: string): string {
  const reason = err instanceof Error ? err.message : String(err);
  return [
    `Handoff could not open its data and has stopped.`,
    '',
    `Reason: ${reason.slice(0, 500)}`,
    '',
    `Data folder: ${userData}`,
    'Make sure this folder is writable and not used by another program, then start Handoff again. ' +
      'If the problem stays, reinstall Handoff.',
  ].join('\n');
}

/** Resolves to the running app, or null when another instance owns the lock or the start failed. */
export function startDesktopApp(e: ElectronApi, proc: ProcessInfo, paths: DesktopPaths): Promise<RunningApp | null> {
  const { app } = e;
  app.setName('Handoff');
  app.setPath('userData', join(app.getPath('appData'), dataFolderName(app.isPackaged)));
  if (proc.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID); // toasts are attributed to the shortcut's id

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return Promise.resolve(null);
  }
  let running: RunningApp | null = null;
  let showWhenReady = false;
  const showWindow = (): void => {
    if (running) running.window.show();
    else showWhenReady = true;
  };
  app.on('second-instance', showWindow); // the user launched it again: that is a request for the window
  // macOS: a click on the Dock icon or a Finder launch while running. Before ready it is the
  // launch itself, which the start rule below already decides (it may be a login start).
  app.on('activate', () => running?.window.show());
  app.on('window-all-closed', () => undefined); // keep running in the tray

  return app.whenReady().then(
    () => {
      running = boot(e, proc, paths);
      if (showWhenReady) running.window.show();
      return running;
    },
    (err: unknown) => fail(err),
  ).catch((err: unknown) => fail(err));

  function fail(err: unknown): null {
    e.dialog.showErrorBox('Handoff could not start', startErrorMessage(err, app.getPath('userData')));
    app.exit(1);
    return null;
  }
}

function boot(e: ElectronApi, proc: ProcessInfo, paths: DesktopPaths): RunningApp {
  const { app } = e;
  if (app.isPackaged) {
    // No Reload/DevTools menu in builds users get; macOS keeps its app menu (Quit, Hide) and editing keys.
    e.Menu.setApplicationMenu(proc.platform === 'darwin' ? e.Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }]) : null);
  }
  app.dock?.hide(); // tray only until the window is opened
  const userData = app.getPath('userData');
  mkdirSync(userData, { recursive: true });
  const store = openLocalStore({
    path: join(userData, DB_FILE),
    nativeBinding: resolveSqliteBinding({
      isPackaged: app.isPackaged,
      resourcesPath: proc.resourcesPath,
      platform: proc.platform,
      arch: proc.arch,
    }),
  });
  try {
    return wire(e, proc, paths, store);
  } catch (err) {
    store.close();
    throw err;
  }
}

function wire(e: ElectronApi, proc: ProcessInfo, paths: DesktopPaths, store: ReturnType<typeof openLocalStore>): RunningApp {
  const { app } = e;
  store.pruneResolved(Date.now() - 7 * 24 * 3600_000);
  const settings = store.getSettings();
  const rendererFile = join(paths.mainDir, '../renderer/index.html');
  const iconPath = join(paths.assetsDir, 'icon.png');
  const window = createWindowManager({
    BrowserWindow: e.BrowserWindow,
    preloadPath: join(paths.mainDir, '../preload/index.cjs'),
    rendererFile,
    iconPath,
    dock: app.dock,
  });
  const notifier = createNotifier({
    Notification: e.Notification,
    onClick: (id) => window.show(id),
    ...(proc.platform === 'linux' ? { iconPath } : {}),
  });
  const vault = createTokenVault({
    safeStorage: e.safeStorage,
    store,
    platform: proc.platform,
    unencryptedFile: join(app.getPath('userData'), UNENCRYPTED_TOKEN_FILE),
    allowUnencrypted: settings.storeTokenUnencrypted,
  });
  const autoLaunch = createAutoLaunch({ app, platform: proc.platform, execPath: proc.execPath, argv: proc.argv, env: proc.env, homedir: proc.homedir });

  const trayAction = (id: string, run: () => Promise<{ ok: boolean; error?: { message: string } }>) =>
    void run().then((res) => {
      if (!res.ok) notifier.showMessage('Handoff: that did not work', res.error?.message ?? 'Try again from the window.');
    });
  // Menu clicks only happen after the controller below exists.
  const tray = registerTray({
    Tray: e.Tray,
    Menu: e.Menu,
    nativeImage: e.nativeImage,
    assetsDir: paths.assetsDir,
    platform: proc.platform,
    onClick: () => window.show(),
    onHandoffAction: (id, action) =>
      trayAction(id, () => (action === 'claim' ? controller.claim(id) : action === 'resolve' ? controller.resolve(id) : controller.openInSlack(id))),
    onCommand: (command) => {
      if (command === 'open-window') window.show();
      else if (command === 'pause-notifications') controller.pauseNotifications(3600_000);
      else if (command === 'resume-notifications') controller.resumeNotifications();
      else app.quit();
    },
  });
  const controller = createDesktopController({
    store,
    vault,
    deviceName: proc.hostname.slice(0, 100),
    // Electron's net.fetch uses the system proxy settings and the OS certificate store; Node's fetch uses neither.
    fetch: (input, init) => e.net.fetch(input instanceof URL ? input.toString() : input, init),
    notify: (n) => notifier.show(n),
    onTrayChange: (model) => tray.update(model),
    onStateChanged: (state) => window.send(IPC_STATE_CHANGED, state),
    batchStateChanges: (fn) => void setImmediate(fn),
    openExternal: (url) => (isSlackPermalink(url) ? e.shell.openExternal(url) : Promise.reject(new Error('blocked'))),
    setAutoLaunch: (on) => autoLaunch.set(on),
  });
  const disposeIpc = registerIpcHandlers({ ipcMain: e.ipcMain, controller, isOwnFrame: (f) => window.isOwnFrame(f) });
  const stopWatching = watchConnectivity({ powerMonitor: e.powerMonitor, isOnline: () => e.net.isOnline(), onChange: () => controller.reconnectNow() });
  const ageTimer = setInterval(() => controller.refreshTray(), TRAY_AGE_REFRESH_MS);
  // A token the keyring cannot decrypt yet (locked at login) is tried again until it can.
  const lockedTimer = setInterval(() => {
    if (vault.storage() === 'locked') controller.reconnectNow();
  }, LOCKED_RETRY_MS);

  let down = false;
  const shutdown = (): void => {
    if (down) return;
    down = true;
    clearInterval(ageTimer);
    clearInterval(lockedTimer);
    stopWatching();
    disposeIpc();
    controller.stop();
    store.close();
  };
  app.on('before-quit', shutdown);

  if (settings.autoLaunch) autoLaunch.set(true); // the app may have moved since (update, new install folder)
  controller.start();
  // Pairing needs the window, and a tray icon can be hidden (Windows overflow, GNOME without an extension).
  if (!controller.getState().paired || !autoLaunch.openedAtLogin()) window.show();
  return { controller, window, notifier, vault, shutdown };
}
