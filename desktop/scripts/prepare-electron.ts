/**
 * `npm run desktop` on a developer machine: fetch Electron's binary if it is not there yet (the electron
 * package has no install step since Electron 42, so `npm ci` works offline and in CI),
 * and build better-sqlite3 for Electron's ABI into build-electron/<abi>/, leaving the Node build that
 * the tests use untouched (desktop/main/sqlite-binding.ts loads it through `nativeBinding`). The
 * folder is keyed by Electron's ABI, so upgrading Electron builds a fresh copy.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { devBindingPath } from '../main/sqlite-binding.js';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Downloading the Electron binary…');
  execFileSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
}

const abi = readFileSync(join(electronDir, 'abi_version'), 'utf8').trim();
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const electronBinary = devBindingPath(sqliteDir, abi, process.platform, process.arch);
if (!existsSync(electronBinary)) {
  // Build in a copy so node_modules/better-sqlite3/build (Node's ABI, used by the tests) stays as it is.
  console.log(`Building better-sqlite3 for Electron (ABI ${abi})…`);
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const work = mkdtempSync(join(tmpdir(), 'bsq-electron-'));
  const skip = (src: string) => [`${sep}build${sep}`, `${sep}build-electron${sep}`].some((d) => src.includes(d)) || /[\\/]build(-electron)?$/.test(src);
  cpSync(sqliteDir, work, { recursive: true, filter: (src) => !skip(src) });
  const nodeGyp = join(dirname(require.resolve('node-gyp/package.json')), 'bin', 'node-gyp.js');
  execFileSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: work, stdio: 'inherit' },
  );
  mkdirSync(dirname(electronBinary), { recursive: true });
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), electronBinary);
  rmSync(work, { recursive: true, force: true });
}
