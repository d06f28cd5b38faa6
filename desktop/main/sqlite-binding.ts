/**
 * better-sqlite3 (13 and later) is a Node-API addon: one binary per platform and arch serves Node and
 * Electron alike, and its package ships them prebuilt (prebuilds/<platform>-<arch>.node). Run from a
 * checkout it finds its own. Packaged, a native module cannot load from inside the asar archive, so
 * electron-builder unpacks this platform's binary (asarUnpack) and this names that copy.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the packaged app's better-sqlite3 binary is; undefined from a checkout (its package finds it). */
export function resolveSqliteBinding(opts: { isPackaged: boolean; resourcesPath: string; platform: string; arch: string }): string | undefined {
  if (!opts.isPackaged) return undefined;
  const candidate = join(opts.resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds', `${opts.platform}-${opts.arch}.node`);
  return existsSync(candidate) ? candidate : undefined;
}
