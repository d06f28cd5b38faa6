/**
 * Electron replaced by small recording stubs (tests only), typed against main/electron-api.ts,
 * which main/index.ts proves compatible with Electron's own declarations. Menus and images are
 * opaque handles to the app: here they carry the template or the path so tests can read them.
 */
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowConstructorOptions,
  IpcMainInvokeEvent,
  LoadFileOptions,
  LoginItemSettings,
  Menu,
  MenuItemConstructorOptions,
  NativeImage,
  NotificationConstructorOptions,
  Settings,
} from 'electron';
import type { AppApi, ElectronApi, NotificationApi, TrayApi, WebContentsApi, WindowApi } from '../../../desktop/main/electron-api.js';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export class StubApp extends EventEmitter implements AppApi {
  isPackaged = false;
  dock: AppApi['dock'] = undefined;
  readonly paths = new Map<string, string>();
  readonly calls: string[] = [];
  readonly loginItems: Settings[] = [];
  exitCode: number | null = null;
  ready: Promise<void> = Promise.resolve();
  lock = true;
  name = 'handoff';
  appUserModelId: string | null = null;

  constructor(appData: string, private readonly appPath = '/app') {
    super();
    this.paths.set('appData', appData);
  }
  requestSingleInstanceLock = (): boolean => this.lock;
  quit = (): void => void this.calls.push('quit');
  exit = (code = 0): void => {
    this.exitCode = code;
    this.calls.push(`exit:${code}`);
  };
  whenReady = (): Promise<void> => this.ready;
  getPath: AppApi['getPath'] = (name) => {
    const p = this.paths.get(name);
    if (!p) throw new Error(`no stub path for ${name}`);
    return p;
  };
  setPath: AppApi['setPath'] = (name, path) => void this.paths.set(name, path);
  setName: AppApi['setName'] = (name) => void (this.name = name);
  getAppPath = (): string => this.appPath;
  setAppUserModelId: AppApi['setAppUserModelId'] = (id) => void (this.appUserModelId = id);
  setLoginItemSettings: AppApi['setLoginItemSettings'] = (s) => void this.loginItems.push(s);
  getLoginItemSettings: AppApi['getLoginItemSettings'] = () => ({ wasOpenedAtLogin: false }) as LoginItemSettings;
}

class StubWebContents extends EventEmitter implements WebContentsApi {
  readonly sent: { channel: string; payload: unknown }[] = [];
  readonly session = { setPermissionRequestHandler: () => undefined };
  constructor(readonly mainFrame: { url: string }) {
    super();
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  setWindowOpenHandler: WebContentsApi['setWindowOpenHandler'] = () => undefined;
}

export class StubWindow extends EventEmitter implements WindowApi {
  readonly webContents: StubWebContents;
  readonly loads: { file: string; options?: LoadFileOptions }[] = [];
  visible = false;
  minimized = false;
  destroyed = false;
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    frameUrl: string,
  ) {
    super();
    this.webContents = new StubWebContents({ url: frameUrl });
  }
  loadFile(file: string, options?: LoadFileOptions): Promise<void> {
    this.loads.push({ file, options });
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {}
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class StubNotification extends EventEmitter implements NotificationApi {
  shown = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    this.shown = true;
  }
}

export class StubTray extends EventEmitter implements TrayApi {
  readonly tooltips: string[] = [];
  menus = 0;
  /** The template of the last menu set (the stub Menu is its template). */
  menu: MenuItemConstructorOptions[] = [];
  constructor(
    readonly image: NativeImage,
    readonly guid?: string,
  ) {
    super();
  }
  setImage(): void {}
  setToolTip(t: string): void {
    this.tooltips.push(t);
  }
  setTitle(): void {}
  setContextMenu(menu: Menu | null): void {
    this.menus++;
    this.menu = (menu as unknown as MenuItemConstructorOptions[] | null) ?? [];
  }
}

export interface Stubs {
  electron: ElectronApi;
  app: StubApp;
  windows: StubWindow[];
  notifications: StubNotification[];
  trays: StubTray[];
  errorBoxes: { title: string; content: string }[];
  handlers: Map<string, Handler>;
  powerMonitor: EventEmitter;
  online: { value: boolean };
  fetched: string[];
  keyring: { available: boolean; backend: ReturnType<ElectronApi['safeStorage']['getSelectedStorageBackend']>; failDecrypt: boolean };
  applicationMenus: (MenuItemConstructorOptions[] | null)[];
}

export interface StubOptions {
  appData: string;
  /** The URL Chromium would report for the window's main frame. */
  frameUrl?: string;
}

export function createElectronStubs(opts: StubOptions): Stubs {
  const app = new StubApp(opts.appData);
  const windows: StubWindow[] = [];
  const notifications: StubNotification[] = [];
  const trays: StubTray[] = [];
  const errorBoxes: Stubs['errorBoxes'] = [];
  const handlers = new Map<string, Handler>();
  const powerMonitor = new EventEmitter();
  const online = { value: true };
  const fetched: string[] = [];
  const keyring: Stubs['keyring'] = { available: true, backend: 'gnome_libsecret', failDecrypt: false };
  const applicationMenus: Stubs['applicationMenus'] = [];
  const frameUrl = opts.frameUrl ?? 'file:///app/dist/desktop/renderer/index.html';

  const Notification = Object.assign(
    class extends StubNotification {
      constructor(options: NotificationConstructorOptions) {
        super(options);
        notifications.push(this);
      }
    },
    { isSupported: () => true },
  );

  const electron: ElectronApi = {
    app,
    dialog: { showErrorBox: (title, content) => void errorBoxes.push({ title, content }) },
    ipcMain: {
      handle: (channel, listener) => void handlers.set(channel, listener as Handler),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    BrowserWindow: class extends StubWindow {
      constructor(options: BrowserWindowConstructorOptions) {
        super(options, frameUrl);
        windows.push(this);
      }
    },
    Notification,
    Tray: class extends StubTray {
      constructor(image: NativeImage, guid?: string) {
        super(image, guid);
        trays.push(this);
      }
    },
    Menu: {
      buildFromTemplate: (template) => template as unknown as Menu,
      setApplicationMenu: (menu) => void applicationMenus.push(menu as unknown as MenuItemConstructorOptions[] | null),
    },
    nativeImage: { createFromPath: (path) => ({ path }) as unknown as NativeImage },
    safeStorage: {
      isEncryptionAvailable: () => keyring.available,
      getSelectedStorageBackend: () => keyring.backend,
      // Reversible and visibly not the plain token, like real ciphertext.
      encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('base64')}`),
      decryptString: (b) => {
        if (keyring.failDecrypt || !keyring.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        const text = b.toString();
        if (!text.startsWith('enc:')) throw new Error('not ours');
        return Buffer.from(text.slice(4), 'base64').toString();
      },
    },
    shell: { openExternal: () => Promise.resolve() },
    net: {
      fetch: (input, init) => {
        fetched.push(typeof input === 'string' ? input : input.url);
        return globalThis.fetch(input, init);
      },
      isOnline: () => online.value,
    },
    powerMonitor,
  };
  return { electron, app, windows, notifications, trays, errorBoxes, handlers, powerMonitor, online, fetched, keyring, applicationMenus };
}

/** An IPC invoke as Electron delivers it: the sender frame is what the handler checks. */
export function invokeEvent(senderFrame: object | null): IpcMainInvokeEvent {
  return { senderFrame } as unknown as IpcMainInvokeEvent;
}
