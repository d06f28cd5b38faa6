/**
 * Packages the app with electron-builder's own code (`--linux dir`, config validated against its
 * schema on the way) against a stand-in Electron folder: Electron's binary cannot be downloaded
 * here, and nothing is downloaded. The stand-in "binary" carries Electron's fuse wire, so the
 * fuses electron-builder flips are checked too. Installers (deb/dmg/nsis) need tools fetched from
 * the network, so their settings are checked as configuration against electron-builder's source.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDesktop } from './build.js';
import { resolveSqliteBinding } from './main/sqlite-binding.js';

const ROOT = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Configuration;

/** @electron/fuses: a sentinel, the wire version (1), its length, then one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['runAsNode', 'cookieEncryption', 'nodeOptions', 'nodeCliInspect', 'asarIntegrity', 'onlyLoadAppFromAsar', 'v8Snapshot', 'fileProtocolPrivileges'];

function fuseWire(binary: Buffer): Record<string, string> {
  const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const length = binary[at + 1] ?? 0;
  return Object.fromEntries(FUSES.slice(0, length).map((name, i) => [name, String.fromCharCode(binary[at + 2 + i] ?? 0)]));
}

/**
 * Reads an asar archive: a Chromium pickle with the header size, then the JSON file tree, then
 * the file contents (each at `offset` after the header). Unpacked entries have no offset.
 */
function readAsar(file: string): { files: string[]; read(path: string): string } {
  const buf = readFileSync(file);
  const headerSize = buf.readUInt32LE(4);
  type Node = { files?: Record<string, Node>; offset?: string; size?: number; unpacked?: boolean };
  const tree = JSON.parse(buf.subarray(16, 16 + buf.readUInt32LE(12)).toString('utf8')) as Node;
  const entries = new Map<string, Node>();
  const walk = (node: Node, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`);
      else entries.set(`${prefix}${name}`, child);
    }
  };
  walk(tree, '');
  return {
    files: [...entries.keys()],
    read(path) {
      const e = entries.get(path);
      if (!e || e.offset === undefined || e.size === undefined) throw new Error(`${path} is not packed in the asar`);
      const start = 8 + headerSize + Number(e.offset);
      return buf.subarray(start, start + e.size).toString('utf8');
    },
  };
}

let work: string;
let unpacked: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'handoff-packaging-'));
  const standIn = join(work, 'electron-dist');
  mkdirSync(join(standIn, 'locales'), { recursive: true });
  mkdirSync(join(standIn, 'resources'), { recursive: true });
  writeFileSync(join(standIn, 'locales', 'en-US.pak'), '');
  writeFileSync(join(standIn, 'locales', 'de.pak'), '');
  writeFileSync(join(standIn, 'chrome-sandbox'), '');
  const fuses = Buffer.concat([Buffer.from(`#!/bin/sh\n# stand-in Electron ${FUSE_SENTINEL}`), Buffer.from([1, 8]), Buffer.from('11111101'), Buffer.from('\n')]);
  writeFileSync(join(standIn, 'electron'), fuses);
  chmodSync(join(standIn, 'electron'), 0o755);

  await buildDesktop(join(ROOT, 'dist/desktop'));
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    config: {
      ...config,
      electronDist: standIn,
      directories: { ...config.directories, output: join(work, 'out') },
    },
  });
  unpacked = join(work, 'out', 'linux-unpacked');
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packaged app (electron-builder --linux dir, stand-in Electron)', () => {
  it('ships the built desktop app and only the node_modules it loads', () => {
    const { files } = readAsar(join(unpacked, 'resources', 'app.asar'));
    for (const f of [
      'dist/desktop/main/index.js',
      'dist/desktop/preload/index.cjs',
      'dist/desktop/renderer/index.html',
      'dist/desktop/renderer/app.js',
      'dist/desktop/renderer/styles.css',
      'desktop/assets/icon.png',
      'desktop/assets/tray-urgent.png',
      'package.json',
      'node_modules/better-sqlite3/lib/index.js',
      'node_modules/better-sqlite3/lib/binding.js',
    ]) {
      expect(files).toContain(f);
    }
    const modules = new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]));
    expect([...modules].sort()).toEqual(['better-sqlite3']);
    expect(files.filter((f) => f.endsWith('.map') || f.includes('better-sqlite3/deps/') || f.includes('better-sqlite3/src/'))).toEqual([]);
    expect(files.some((f) => f.startsWith('bot/') || f.startsWith('desktop/core/'))).toBe(false);
  });

  it("unpacks the target's prebuilt native module, and no other, exactly where main/sqlite-binding.ts looks for it", () => {
    const resourcesPath = join(unpacked, 'resources');
    const found = resolveSqliteBinding({ isPackaged: true, resourcesPath, platform: 'linux', arch: 'x64' });
    expect(found).toBe(join(resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds', 'linux-x64.node'));
    expect(readFileSync(found!).equals(readFileSync(join(dirname(require.resolve('better-sqlite3/package.json')), 'prebuilds', 'linux-x64.node')))).toBe(true);
    expect(readdirSync(dirname(found!))).toEqual(['linux-x64.node']);
    expect(resolveSqliteBinding({ isPackaged: false, resourcesPath, platform: 'linux', arch: 'x64' })).toBeUndefined();
  });

  it('names the app Handoff and points it at the bundled main', () => {
    expect(existsSync(join(unpacked, 'handoff'))).toBe(true);
    const pkg = JSON.parse(readAsar(join(unpacked, 'resources', 'app.asar')).read('package.json')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ main: 'dist/desktop/main/index.js', productName: 'Handoff', desktopName: 'handoff.desktop' });
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; app only from an integrity-checked asar', () => {
    expect(fuseWire(readFileSync(join(unpacked, 'handoff')))).toEqual({
      runAsNode: '0',
      cookieEncryption: '1',
      nodeOptions: '0',
      nodeCliInspect: '0',
      asarIntegrity: '1',
      onlyLoadAppFromAsar: '1',
      v8Snapshot: '0',
      fileProtocolPrivileges: '1',
    });
  });
});

describe('installer settings (electron-builder.yml)', () => {
  it('builds a deb on Linux (no AppImage) and never passes --no-sandbox', () => {
    expect(config.linux?.target).toEqual(['deb']);
    expect(JSON.stringify(config)).not.toContain('no-sandbox');
  });

  it('lists electron-builder\'s default deb dependencies plus libsecret-1-0', () => {
    const source = readFileSync(join(dirname(require.resolve('app-builder-lib/package.json')), 'out', 'targets', 'FpmTarget.js'), 'utf8');
    const defaults = JSON.parse(/case "deb":\s*return (\[[^\]]*\])/.exec(source)?.[1] ?? 'null') as string[] | null;
    expect(defaults?.length).toBeGreaterThan(5);
    expect(config.deb?.depends).toEqual(expect.arrayContaining([...defaults!, 'libsecret-1-0']));
  });

  it('signs and notarises macOS builds from the environment, publishes nothing, and documents it', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.publish).toBeNull();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const v of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER', 'CSC_IDENTITY_AUTO_DISCOVERY=false']) {
      expect(readme).toContain(v);
    }
  });
});
