/**
 * better-sqlite3 in Electron needs a binary built for Electron's ABI. electron-builder
 * rebuilds it into the packaged app only (asarUnpack), so the Node-ABI binary that the
 * tests use in node_modules is never replaced.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function resolveSqliteBinding(opts: { isPackaged: boolean; resourcesPath: string; appPath: string }): string | undefined {
  const candidates = opts.isPackaged
    ? [join(opts.resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')]
    : // `npm run desktop` in a checkout: an Electron build made by desktop/scripts/prepare-electron.ts.
      [join(opts.appPath, 'node_modules', 'better-sqlite3', 'build-electron', 'Release', 'better_sqlite3.node')];
  return candidates.find((p) => existsSync(p));
}
