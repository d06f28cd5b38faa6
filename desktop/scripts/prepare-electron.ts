/**
 * `npm run desktop` on a developer machine: fetch Electron's binary if it is not there yet (the electron
 * package has no install step since Electron 42, so `npm ci` works offline and in CI). better-sqlite3 needs
 * nothing for Electron: its prebuilt Node-API binary loads in Node and Electron alike.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

if (!existsSync(join(electronDir, 'path.txt'))) {
  console.log('Downloading the Electron binary…');
  execFileSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
}
