/**
 * The part of Electron the app uses, as types only. main/index.ts passes the real `electron`
 * module (so `tsc` checks it against Electron's own declarations); tests pass stubs built
 * against the same types (test/support/desktop/electron-stubs.ts). Menus and images are opaque
 * handles the app only passes back to Electron.
 */
import type {
  App,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMain,
  LoadFileOptions,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  Net,
  NotificationConstructorOptions,
  SafeStorage,
  Session,
  Shell,
  WebContents,
} from 'electron';

export interface AppApi {
  readonly isPackaged: boolean;
  readonly dock: { show(): Promise<void>; hide(): void } | undefined;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  exit(exitCode?: number): void;
  whenReady(): Promise<void>;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  getPath: App['getPath'];
  setPath: App['setPath'];
  setName: App['setName'];
  getAppPath: App['getAppPath'];
  setAppUserModelId: App['setAppUserModelId'];
  setLoginItemSettings: App['setLoginItemSettings'];
  getLoginItemSettings: App['getLoginItemSettings'];
}

export interface WebContentsApi {
  /** Compared by identity only (the IPC sender check). */
  readonly mainFrame: object;
  readonly session: Pick<Session, 'setPermissionRequestHandler'>;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'will-redirect', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface WindowApi {
  readonly webContents: WebContentsApi;
  loadFile(filePath: string, options?: LoadFileOptions): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isDestroyed(): boolean;
}

export interface NotificationApi {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'failed', listener: () => void): unknown;
}

export interface NotificationClass {
  new (options: NotificationConstructorOptions): NotificationApi;
  isSupported(): boolean;
}

export interface TrayApi {
  setImage(image: NativeImage): void;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface PowerMonitorApi {
  on(event: 'resume', listener: () => void): unknown;
  on(event: 'unlock-screen', listener: () => void): unknown;
}

export interface ElectronApi {
  app: AppApi;
  dialog: Pick<Dialog, 'showErrorBox'>;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => WindowApi;
  Notification: NotificationClass;
  Tray: new (image: NativeImage, guid?: string) => TrayApi;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu; setApplicationMenu(menu: Menu | null): void };
  nativeImage: { createFromPath(path: string): NativeImage };
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;
  shell: Pick<Shell, 'openExternal'>;
  net: Pick<Net, 'fetch' | 'isOnline'>;
  powerMonitor: PowerMonitorApi;
}

/** What the app reads from the Node process (real `process` in main/index.ts). */
export interface ProcessInfo {
  platform: NodeJS.Platform;
  argv: readonly string[];
  execPath: string;
  resourcesPath: string;
  arch: string;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  hostname: string;
}
