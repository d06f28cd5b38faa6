/**
 * The tray icon and its menu, redrawn from the newest tray model. Updates are batched to one
 * redraw per turn of the event loop: a replay of thousands of events must not rebuild the
 * native menu thousands of times.
 */
import { join } from 'node:path';
import type { TrayModel } from '../core/tray-model.js';
import type { ElectronApi } from './electron-api.js';
import { toMenuTemplate, type MenuHandlers } from './menu-template.js';

/** Windows remembers the tray icon's visibility (overflow or taskbar) under this id. */
export const TRAY_GUID = '6f1f7c2e-3b0a-4a8e-9d55-8a3f2c1b7e40';

export interface TrayDeps extends MenuHandlers {
  Tray: ElectronApi['Tray'];
  Menu: ElectronApi['Menu'];
  nativeImage: ElectronApi['nativeImage'];
  assetsDir: string;
  platform: NodeJS.Platform;
  /** Left click (Windows, macOS without a menu open): open the window. */
  onClick: () => void;
  schedule?: (fn: () => void) => void;
}

export interface TrayHandle {
  update(model: TrayModel): void;
}

export function registerTray(deps: TrayDeps): TrayHandle {
  const icon = (state: string) => deps.nativeImage.createFromPath(join(deps.assetsDir, `tray-${state}.png`));
  const schedule = deps.schedule ?? ((fn: () => void) => void setImmediate(fn));
  const tray = deps.platform === 'linux' ? new deps.Tray(icon('idle')) : new deps.Tray(icon('idle'), TRAY_GUID);
  if (deps.platform === 'win32') tray.on('click', deps.onClick);
  let pending: TrayModel | null = null;

  function redraw(): void {
    const model = pending;
    pending = null;
    if (!model) return;
    tray.setImage(icon(model.icon));
    tray.setToolTip(model.tooltip);
    if (deps.platform === 'darwin') tray.setTitle(model.badgeCount > 0 ? String(model.badgeCount) : '');
    tray.setContextMenu(deps.Menu.buildFromTemplate(toMenuTemplate(model, deps)));
  }

  return {
    update(model) {
      const first = pending === null;
      pending = model;
      if (first) schedule(redraw);
    },
  };
}
