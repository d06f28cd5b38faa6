/** Electron main entry: hands the real Electron module and process to desktop-app.ts. */
import * as electron from 'electron';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDesktopApp } from './desktop-app.js';

void startDesktopApp(
  electron,
  {
    platform: process.platform,
    argv: process.argv,
    execPath: process.execPath,
    resourcesPath: process.resourcesPath,
    arch: process.arch,
    env: process.env,
    homedir: homedir(),
    hostname: hostname(),
  },
  { mainDir: fileURLToPath(new URL('.', import.meta.url)), assetsDir: join(electron.app.getAppPath(), 'desktop/assets') },
);
