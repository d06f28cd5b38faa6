import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_STATE_CHANGED, type AppState } from '../shared/ipc.js';
import { createElectronStubs, invokeEvent, type Stubs } from '../../test/support/desktop/electron-stubs.js';
import { startFakeBot, type FakeBot } from '../../test/support/desktop/fake-bot.js';
import { CALLER_ID, view } from '../../test/support/fixtures.js';
import { untilPasses } from '../../test/support/until.js';
import { APP_USER_MODEL_ID, startDesktopApp, type RunningApp } from './desktop-app.js';
import type { ProcessInfo } from './electron-api.js';
import { HIDDEN_FLAG } from './auto-launch.js';
import { UNENCRYPTED_TOKEN_FILE } from './token-vault.js';

const WAIT = 20_000; // generous on a loaded machine, still well under the stream's 45 s idle watchdog

let dir: string;
let bot: FakeBot;
const started: RunningApp[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-desktop-app-'));
  bot = await startFakeBot();
});
afterEach(async () => {
  for (const app of started.splice(0)) app.shutdown();
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

function proc(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    platform: 'linux',
    argv: ['/opt/Handoff/handoff'],
    execPath: '/opt/Handoff/handoff',
    resourcesPath: join(dir, 'no-resources'),
    arch: 'x64',
    env: { XDG_CONFIG_HOME: join(dir, 'config') },
    homedir: dir,
    hostname: 'test-host',
    ...overrides,
  };
}

async function launch(stubs: Stubs, p: Partial<ProcessInfo> = {}, mainDir = '/app/dist/desktop/main'): Promise<RunningApp | null> {
  const app = await startDesktopApp(stubs.electron, proc(p), { mainDir, assetsDir: '/app/desktop/assets' });
  if (app) started.push(app);
  return app;
}

function ipc(stubs: Stubs, channel: string, payload: unknown = {}, frame: object | null = stubs.windows[0]?.webContents.mainFrame ?? null) {
  const handler = stubs.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(invokeEvent(frame), payload);
}

async function state(stubs: Stubs): Promise<AppState> {
  return (await ipc(stubs, 'handoff:get-state')) as AppState;
}

async function pair(stubs: Stubs): Promise<void> {
  expect(await ipc(stubs, 'handoff:pair', { serverUrl: bot.url, code: bot.pairingCode })).toMatchObject({ ok: true });
  await untilPasses(() => expect(bot.openStreams()).toBe(1), WAIT);
}

describe('Electron main: start', () => {
  it('shows the error and exits when the data folder cannot be opened, after taking the second-instance event', async () => {
    const stubs = createElectronStubs({ appData: dir });
    writeFileSync(join(dir, 'Handoff Dev'), 'a file where the data folder should be');
    expect(await launch(stubs)).toBeNull();
    expect(stubs.errorBoxes).toHaveLength(1);
    expect(stubs.errorBoxes[0]?.title).toBe('Handoff could not start');
    expect(stubs.errorBoxes[0]?.content).toContain(join(dir, 'Handoff Dev'));
    expect(stubs.app.exitCode).toBe(1);
    expect(stubs.app.listenerCount('second-instance')).toBe(1);
  });

  it('quits at once when another instance holds the lock', async () => {
    const stubs = createElectronStubs({ appData: dir });
    stubs.app.lock = false;
    expect(await launch(stubs)).toBeNull();
    expect(stubs.app.calls).toEqual(['quit']);
    expect(stubs.windows).toHaveLength(0);
  });

  it('keeps dev and packaged data apart and names the app Handoff', async () => {
    const dev = createElectronStubs({ appData: dir });
    await launch(dev);
    expect(dev.app.name).toBe('Handoff');
    expect(dev.app.getPath('userData')).toBe(join(dir, 'Handoff Dev'));
    started.pop()?.shutdown();
    const packaged = createElectronStubs({ appData: dir });
    packaged.app.isPackaged = true;
    await launch(packaged);
    expect(packaged.app.getPath('userData')).toBe(join(dir, 'Handoff'));
    expect(packaged.applicationMenus).toEqual([null]); // no default menu with Reload and DevTools
  });

  it('shows the window on an unpaired first launch, even when started at login', async () => {
    const stubs = createElectronStubs({ appData: dir });
    await launch(stubs, { argv: ['/opt/Handoff/handoff', HIDDEN_FLAG] });
    expect(stubs.windows).toHaveLength(1);
    const win = stubs.windows[0]!;
    expect(win.loads[0]?.file).toBe('/app/dist/desktop/renderer/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('paired: stays in the tray when started at login, shows the window on a manual launch and a second launch', async () => {
    const first = createElectronStubs({ appData: dir });
    await launch(first);
    await pair(first);
    started.pop()?.shutdown();

    const atLogin = createElectronStubs({ appData: dir });
    const app = (await launch(atLogin, { argv: ['/opt/Handoff/handoff', HIDDEN_FLAG] }))!;
    expect(app.controller.getState().paired).toBe(true);
    expect(atLogin.windows).toHaveLength(0);
    atLogin.app.emit('second-instance');
    expect(atLogin.windows).toHaveLength(1);
    started.pop()?.shutdown();

    const manual = createElectronStubs({ appData: dir });
    await launch(manual);
    expect(manual.windows).toHaveLength(1);
  });

  it('shows the window on a second launch and on macOS activate', async () => {
    const stubs = createElectronStubs({ appData: dir });
    const app = await launch(stubs, { argv: ['/opt/Handoff/handoff', HIDDEN_FLAG] });
    await pair(stubs);
    stubs.windows[0]!.destroyed = true; // the user closed it
    stubs.app.emit('second-instance');
    expect(stubs.windows).toHaveLength(2);
    stubs.windows[1]!.destroyed = true;
    stubs.app.emit('activate');
    expect(stubs.windows).toHaveLength(3);
    expect(app).not.toBeNull();
  });

  it('on Windows sets the AppUserModelID of the shortcut and gives the tray a stable GUID', async () => {
    const stubs = createElectronStubs({ appData: dir });
    await launch(stubs, { platform: 'win32' });
    expect(stubs.app.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(stubs.trays[0]?.guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    stubs.trays[0]!.emit('click');
    expect(stubs.windows.length).toBeGreaterThan(0);
  });
});

describe('Electron main: IPC sender check', () => {
  const WIN_MAIN = 'C:/Program Files/Hand%off/resources/app.asar/dist/desktop/main';
  // What Chromium reports for that window: lower-case drive letter (typed or from a VS Code terminal) and `%` escaped.
  const REPORTED = 'file:///c:/Program%20Files/Hand%25off/resources/app.asar/dist/desktop/renderer/index.html';

  it('accepts our window whatever the drive-letter case and % in the path, and refuses another frame showing the same URL', async () => {
    const stubs = createElectronStubs({ appData: dir, frameUrl: REPORTED });
    await launch(stubs, { platform: 'win32' }, WIN_MAIN);
    expect(await ipc(stubs, 'handoff:claim', { id: 'ho_1' })).toMatchObject({ ok: false, error: { code: 'not_paired' } });
    expect(() => ipc(stubs, 'handoff:claim', { id: 'ho_1' }, { url: REPORTED })).toThrow('untrusted_sender');
    expect(() => ipc(stubs, 'handoff:claim', { id: 'ho_1' }, null)).toThrow('untrusted_sender');
  });

  it('refuses our window once it shows something that is not a file: page', async () => {
    const stubs = createElectronStubs({ appData: dir, frameUrl: 'https://evil.test/' });
    await launch(stubs);
    expect(() => ipc(stubs, 'handoff:get-state')).toThrow('untrusted_sender');
  });
});

describe('Electron main: stream, notifications, keyring', () => {
  it('pairs through net.fetch, notifies once and keeps the notification until it is clicked', async () => {
    const stubs = createElectronStubs({ appData: dir });
    const app = (await launch(stubs))!;
    await pair(stubs);
    expect(stubs.fetched.some((u) => u.endsWith('/v1/desktop/pair'))).toBe(true);
    expect(stubs.fetched.some((u) => u.endsWith('/v1/events'))).toBe(true);

    bot.publish(view({ id: 'ho_urgent' }));
    await untilPasses(() => expect(stubs.notifications).toHaveLength(1), WAIT);
    const note = stubs.notifications[0]!;
    expect(note.shown).toBe(true);
    expect(note.options).toMatchObject({ urgency: 'critical', timeoutType: 'never' });
    expect(JSON.stringify(note.options)).not.toContain(CALLER_ID);
    expect(app.notifier.live).toBe(1);

    note.emit('click');
    expect(app.notifier.live).toBe(0);
    expect(stubs.windows.at(-1)?.loads.at(-1)?.options).toEqual({ hash: 'handoff=ho_urgent' });
    await untilPasses(() => expect(stubs.windows[0]!.webContents.sent.some((s) => s.channel === IPC_STATE_CHANGED)).toBe(true), WAIT);
  });

  it('tells the user when a Claim from the tray fails', async () => {
    const stubs = createElectronStubs({ appData: dir });
    await launch(stubs);
    await pair(stubs);
    bot.publish(view({ id: 'ho_taken', status: 'claimed', claimed_by: 'U0OTHER' }));
    bot.publish(view({ id: 'ho_open' }));
    await untilPasses(() => expect(stubs.trays[0]?.menu.some((m) => String(m.label).includes('URGENT'))).toBe(true), WAIT);
    const item = stubs.trays[0]!.menu.find((m) => String(m.label).includes('URGENT'))!;
    const claim = (item.submenu as { label: string; click: () => void }[]).find((s) => s.label === 'Claim')!;
    bot.publish(view({ id: 'ho_open', status: 'claimed', claimed_by: 'U0OTHER' })); // taken before our click lands
    const before = stubs.notifications.length;
    claim.click();
    await untilPasses(() => expect(stubs.notifications.length).toBe(before + 1), WAIT);
    expect(stubs.notifications.at(-1)?.options).toMatchObject({ title: 'Handoff: that did not work', body: 'Already claimed.' });
  });

  it('restarts the stream at once when the machine resumes from sleep', async () => {
    const stubs = createElectronStubs({ appData: dir });
    const app = (await launch(stubs))!;
    await pair(stubs);
    const before = bot.streamRequests.length;
    stubs.powerMonitor.emit('resume');
    await untilPasses(() => expect(bot.streamRequests.length).toBe(before + 1), WAIT);
    await untilPasses(() => expect(bot.openStreams()).toBe(1), WAIT);
    await untilPasses(() => expect(app.controller.getState().connection).toBe('online'), WAIT);
  });

  it('keeps the token encrypted by the keyring: never in clear on disk', async () => {
    const stubs = createElectronStubs({ appData: dir });
    await launch(stubs);
    await pair(stubs);
    expect((await state(stubs)).tokenStorage).toBe('os-encrypted');
    const db = readFileSync(join(dir, 'Handoff Dev', 'handoff-desktop.db'));
    expect(db.includes(bot.token)).toBe(false);
    expect(existsSync(join(dir, 'Handoff Dev', UNENCRYPTED_TOKEN_FILE))).toBe(false);
  });

  it('without a keyring tells the user, keeps the token in memory, and writes a 0600 file only after opting in', async () => {
    const stubs = createElectronStubs({ appData: dir });
    stubs.keyring.available = false;
    stubs.keyring.backend = 'basic_text';
    await launch(stubs);
    expect(stubs.windows).toHaveLength(1); // unpaired: the window says it
    expect(await state(stubs)).toMatchObject({ paired: false, tokenStorage: 'memory-only' });
    await pair(stubs);
    const file = join(dir, 'Handoff Dev', UNENCRYPTED_TOKEN_FILE);
    expect(existsSync(file)).toBe(false);

    expect(await ipc(stubs, 'handoff:save-settings', { storeTokenUnencrypted: true })).toMatchObject({ ok: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/UNENCRYPTED/);
    expect((await state(stubs)).tokenStorage).toBe('unencrypted-file');
    started.pop()?.shutdown();

    const again = createElectronStubs({ appData: dir });
    again.keyring.available = false;
    again.keyring.backend = 'basic_text';
    await launch(again);
    expect(await state(again)).toMatchObject({ paired: true, tokenStorage: 'unencrypted-file' });
    expect(await ipc(again, 'handoff:save-settings', { storeTokenUnencrypted: false })).toMatchObject({ ok: true });
    expect(existsSync(file)).toBe(false);
  });

  it('a keyring that cannot decrypt yet reports locked instead of forgetting the pairing', async () => {
    const first = createElectronStubs({ appData: dir });
    await launch(first);
    await pair(first);
    started.pop()?.shutdown();

    const locked = createElectronStubs({ appData: dir });
    locked.keyring.failDecrypt = true;
    await launch(locked);
    expect(locked.windows).toHaveLength(1);
    expect(await state(locked)).toMatchObject({ paired: false, tokenStorage: 'locked' });
  });
});

describe('Electron main: start at login on Linux', () => {
  it('writes and removes an XDG autostart entry', async () => {
    const stubs = createElectronStubs({ appData: dir });
    await launch(stubs);
    const entry = join(dir, 'config', 'autostart', 'handoff.desktop');
    expect(await ipc(stubs, 'handoff:save-settings', { autoLaunch: true })).toMatchObject({ ok: true });
    expect(readFileSync(entry, 'utf8')).toContain(`Exec=/opt/Handoff/handoff ${HIDDEN_FLAG}`);
    expect(stubs.app.loginItems).toEqual([]);
    expect(await ipc(stubs, 'handoff:save-settings', { autoLaunch: false })).toMatchObject({ ok: true });
    expect(existsSync(entry)).toBe(false);
  });
});
