/**
 * `npm run dist`: installers for THIS platform (deb on Linux, dmg on macOS, nsis on Windows) in
 * release/. Another platform only when asked (`npm run dist -- --win`): cross builds need that
 * platform's tools and signing setup, so they are never a side effect. Never publishes.
 * Nothing is rebuilt: better-sqlite3's prebuilt Node-API binary serves Electron as it is.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const HOST_FLAG: Partial<Record<NodeJS.Platform, string>> = { linux: '--linux', darwin: '--mac', win32: '--win' };
const PLATFORM_FLAGS = ['--linux', '--mac', '--win', '-l', '-m', '-w'];

function run(args: string[]): number {
  const res = spawnSync(process.execPath, args, { stdio: 'inherit' });
  return res.status ?? 1;
}

const extra = process.argv.slice(2);
const host = HOST_FLAG[process.platform];
if (!host && !extra.some((a) => PLATFORM_FLAGS.includes(a))) {
  console.error(`npm run dist: no installer for ${process.platform}; pass --linux, --mac or --win`);
  process.exit(1);
}
const platform = extra.some((a) => PLATFORM_FLAGS.includes(a)) ? [] : [host as string];
const builder = require.resolve('electron-builder/cli.js');
process.exit(run([builder, '--config', 'electron-builder.yml', '--publish', 'never', ...platform, ...extra]));
