/**
 * `npm run dist`: installers for THIS platform (deb on Linux, dmg on macOS, nsis on Windows) in
 * release/. Another platform only when asked (`npm run dist -- --win`): cross builds need that
 * platform's tools and signing setup, so they are never a side effect. Never publishes.
 * electron-builder rebuilds better-sqlite3 for Electron inside node_modules; the Node build the
 * tests and the bot use is rebuilt afterwards, whether packaging worked or not.
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
let status: number;
try {
  status = run([builder, '--config', 'electron-builder.yml', '--publish', 'never', ...platform, ...extra]);
} finally {
  const npm = process.env.npm_execpath;
  const restored = npm ? run([npm, 'rebuild', 'better-sqlite3']) : 1;
  if (restored !== 0) console.error('npm run dist: could not restore the Node build of better-sqlite3; run `npm rebuild better-sqlite3`');
}
process.exit(status);
