/**
 * better-sqlite3 in Electron needs a binary built for Electron's ABI. electron-builder
 * rebuilds it into the packaged app only (asarUnpack), so the Node-ABI binary that the
 * tests use in node_modules is never replaced. In a checkout, `npm run desktop` builds one
 * per Electron ABI (desktop/scripts/prepare-electron.ts): an Electron upgrade gets a new one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the dev Electron build of better-sqlite3 lives, keyed by ABI, platform and arch. */
export function devBindingPath(sqliteDir: string, abi: string, platform: string, arch: string): string {
  return join(sqliteDir, 'build-electron', `electron-abi${abi}-${platform}-${arch}`, 'better_sqlite3.node');
}

export function resolveSqliteBinding(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
  abi: string;
  platform: string;
  arch: string;
}): string | undefined {
  const candidate = opts.isPackaged
    ? join(opts.resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    : devBindingPath(join(opts.appPath, 'node_modules', 'better-sqlite3'), opts.abi, opts.platform, opts.arch);
  return existsSync(candidate) ? candidate : undefined;
}
