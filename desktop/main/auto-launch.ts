/**
 * "Start Handoff when I log in". macOS and Windows: Electron's login items. Linux has no
 * such API (`setLoginItemSettings` does nothing there): an XDG autostart entry in
 * $XDG_CONFIG_HOME/autostart (default ~/.config/autostart), which GNOME, KDE, Xfce and
 * others read. A start at login passes HIDDEN_FLAG so the app stays in the tray.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppApi } from './electron-api.js';

export const HIDDEN_FLAG = '--hidden';
export const AUTOSTART_FILE = 'handoff.desktop';

export interface AutoLaunchDeps {
  app: Pick<AppApi, 'setLoginItemSettings' | 'getLoginItemSettings'>;
  platform: NodeJS.Platform;
  execPath: string;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
}

export interface AutoLaunch {
  set(enabled: boolean): void;
  /** This run was started by the login item or autostart entry, not by the user. */
  openedAtLogin(): boolean;
}

/** Quotes one Exec argument per the Desktop Entry spec (and `%` doubled: field codes). */
export function desktopExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (!/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  // Quoting rule first, then the general string escape (a backslash is written twice).
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`.replace(/\\/g, '\\\\');
}

export function autostartEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Handoff',
    'Comment=Urgent phone-agent handoffs in your tray',
    `Exec=${desktopExecArg(execPath)} ${HIDDEN_FLAG}`,
    'Icon=handoff',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartDir(env: AutoLaunchDeps['env'], homedir: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir, '.config');
  return join(configHome, 'autostart');
}

export function createAutoLaunch(deps: AutoLaunchDeps): AutoLaunch {
  return {
    set(enabled) {
      if (deps.platform === 'linux') {
        const dir = autostartDir(deps.env, deps.homedir);
        if (enabled) {
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, AUTOSTART_FILE), autostartEntry(deps.execPath));
        } else rmSync(join(dir, AUTOSTART_FILE), { force: true });
      } else if (deps.platform === 'win32') {
        deps.app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
      } else {
        deps.app.setLoginItemSettings({ openAtLogin: enabled });
      }
    },
    openedAtLogin() {
      if (deps.argv.includes(HIDDEN_FLAG)) return true;
      return deps.platform === 'darwin' && deps.app.getLoginItemSettings().wasOpenedAtLogin === true;
    },
  };
}
