/** The tray icon and its menu, redrawn from each new tray model. */
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { TrayModel } from '../core/tray-model.js';
import { toMenuTemplate, type MenuHandlers } from './menu-template.js';

export interface TrayDeps extends MenuHandlers {
  assetsDir: string;
}

export function registerTray(deps: TrayDeps): { update(model: TrayModel): void } {
  const icon = (state: string) => nativeImage.createFromPath(join(deps.assetsDir, `tray-${state}.png`));
  const tray = new Tray(icon('idle'));
  return {
    update(model) {
      tray.setImage(icon(model.icon));
      tray.setToolTip(model.tooltip);
      if (process.platform === 'darwin') tray.setTitle(model.badgeCount > 0 ? String(model.badgeCount) : '');
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model, deps)));
    },
  };
}
