/** Electron main: wiring only. Behaviour lives in core/ and the register* functions. */
import { app, ipcMain, Notification, safeStorage, shell } from 'electron';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDesktopController } from '../core/desktop-controller.js';
import { openLocalStore } from '../core/local-store.js';
import { isSlackPermalink } from '../core/url-policy.js';
import { IPC_STATE_CHANGED } from '../shared/ipc.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { resolveSqliteBinding } from './sqlite-binding.js';
import { createSafeStorageVault } from './token-vault.js';
import { registerTray } from './tray.js';
import { createWindowManager } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
const assetsDir = join(app.getAppPath(), 'desktop/assets');

if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(main);

function main(): void {
  app.dock?.hide(); // tray only until the window is opened
  const store = openLocalStore({
    path: join(app.getPath('userData'), 'handoff-desktop.db'),
    nativeBinding: resolveSqliteBinding({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
  });
  store.pruneResolved(Date.now() - 7 * 24 * 3600_000);
  const window = createWindowManager({ preloadPath: join(here, '../preload/index.cjs'), rendererFile, iconPath: join(assetsDir, 'icon.png') });
  // Menu clicks only happen after the controller below exists.
  const tray = registerTray({
    assetsDir,
    onHandoffAction: (id, action) =>
      void (action === 'claim' ? controller.claim(id) : action === 'resolve' ? controller.resolve(id) : controller.openInSlack(id)),
    onCommand: (command) => {
      if (command === 'open-window') window.show();
      else if (command === 'pause-notifications') controller.pauseNotifications(3600_000);
      else if (command === 'resume-notifications') controller.resumeNotifications();
      else app.quit();
    },
  });
  const controller = createDesktopController({
    store,
    vault: createSafeStorageVault(safeStorage, store),
    deviceName: hostname().slice(0, 100),
    notify: (n) => {
      const note = new Notification({ title: n.title, body: n.body, urgency: n.urgent ? 'critical' : 'normal' });
      note.on('click', () => window.show(n.handoffId));
      note.show();
    },
    onTrayChange: (model) => tray.update(model),
    onStateChanged: (state) => window.send(IPC_STATE_CHANGED, state),
    openExternal: (url) => (isSlackPermalink(url) ? shell.openExternal(url) : Promise.reject(new Error('blocked'))),
    setAutoLaunch: (on) => app.setLoginItemSettings({ openAtLogin: on, openAsHidden: true }),
  });
  registerIpcHandlers({ ipcMain, controller, rendererUrl: pathToFileURL(rendererFile).toString() });
  app.on('second-instance', () => window.show());
  app.on('window-all-closed', () => undefined); // keep running in the tray
  app.on('before-quit', () => {
    controller.stop();
    store.close();
  });
  controller.start();
  setInterval(() => controller.refreshTray(), 60_000); // ages in the menu labels
}
