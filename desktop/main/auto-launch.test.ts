import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StubApp } from '../../test/support/desktop/electron-stubs.js';
import { AUTOSTART_FILE, autostartDir, createAutoLaunch, desktopExecArg, HIDDEN_FLAG } from './auto-launch.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'handoff-autostart-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('start at login', () => {
  it.each([
    ['/opt/Handoff/handoff', '/opt/Handoff/handoff'],
    ['/home/a b/Handoff/handoff', '"/home/a b/Handoff/handoff"'],
    ['/opt/100%/handoff', '/opt/100%%/handoff'],
    ['/opt/$x "y"/handoff', '"/opt/\\\\$x \\\\"y\\\\"/handoff"'],
  ])('quotes %s for a desktop entry Exec line as %s', (path, quoted) => {
    expect(desktopExecArg(path)).toBe(quoted);
  });

  it('uses $XDG_CONFIG_HOME when it is absolute, else ~/.config', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/conf' }, '/home/a')).toBe('/x/conf/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative' }, '/home/a')).toBe('/home/a/.config/autostart');
    expect(autostartDir({}, '/home/a')).toBe('/home/a/.config/autostart');
  });

  it('Linux: an autostart entry that starts hidden; a start with the flag counts as a login start', () => {
    const app = new StubApp(dir);
    const a = createAutoLaunch({ app, platform: 'linux', execPath: '/opt/Handoff/handoff', argv: ['x'], env: {}, homedir: dir });
    a.set(true);
    const entry = readFileSync(join(dir, '.config', 'autostart', AUTOSTART_FILE), 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Handoff\n/);
    expect(entry).toContain(`Exec=/opt/Handoff/handoff ${HIDDEN_FLAG}\n`);
    expect(app.loginItems).toEqual([]);
    expect(a.openedAtLogin()).toBe(false);
    const atLogin = createAutoLaunch({ app, platform: 'linux', execPath: '/x', argv: ['x', HIDDEN_FLAG], env: {}, homedir: dir });
    expect(atLogin.openedAtLogin()).toBe(true);
  });

  it('Windows and macOS: login items (Windows passes the hidden flag)', () => {
    const app = new StubApp(dir);
    createAutoLaunch({ app, platform: 'win32', execPath: 'C:\\H\\Handoff.exe', argv: [], env: {}, homedir: dir }).set(true);
    createAutoLaunch({ app, platform: 'darwin', execPath: '/Applications/Handoff.app', argv: [], env: {}, homedir: dir }).set(false);
    expect(app.loginItems).toEqual([{ openAtLogin: true, args: [HIDDEN_FLAG] }, { openAtLogin: false }]);
  });
});
