/** Turns the pure tray model into Electron menu options. Type-only Electron import: testable under Node. */
import type { MenuItemConstructorOptions } from 'electron';
import type { HandoffMenuAction, TrayCommand, TrayModel } from '../core/tray-model.js';

export interface MenuHandlers {
  onHandoffAction(id: string, action: HandoffMenuAction): void;
  onCommand(command: TrayCommand): void;
}

export function toMenuTemplate(model: TrayModel, h: MenuHandlers): MenuItemConstructorOptions[] {
  return model.menu.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'status':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'handoff':
        return {
          label: item.label,
          submenu: item.actions.map((a) => ({ label: a.label, enabled: a.enabled, click: () => h.onHandoffAction(item.id, a.action) })),
        };
      case 'command':
        return { label: item.label, click: () => h.onCommand(item.command) };
    }
  });
}
