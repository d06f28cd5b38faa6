// `npm ci` on the Node the README names must print no EBADENGINE warning: every package the lock
// file installs accepts both the oldest Node that package.json's `engines` allows and the running one.
// electron-builder 26's own @electron/rebuild (4.x) and node-abi (4.x) want Node 22, so package.json
// pins the rebuilder to 3.6.2 through `overrides`; this test fails if a later install brings them back.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// npm's own range rules, from the copy electron-builder and npm's tooling install (no types shipped).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
};

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

function refusing(node: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !Array.isArray(p.engines) && p.engines?.node && !semver.satisfies(node, p.engines.node))
    .map(([path, p]) => `${path}@${p.version ?? '?'} wants node ${(p.engines as { node: string }).node}`);
}

describe('Node engines', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;

  it('package.json names a Node 20 release as the oldest supported', () => {
    expect(semver.major(oldest)).toBe(20);
  });

  it('every locked package accepts the oldest supported Node', () => {
    expect(refusing(oldest)).toEqual([]);
  });

  it('every locked package accepts the running Node', () => {
    expect(refusing(process.versions.node)).toEqual([]);
  });

  it('electron-builder loads the pinned rebuilder the way it does when packaging (dynamic import, rebuild())', async () => {
    const fromBuilder = createRequire(join(dirname(createRequire(import.meta.url).resolve('app-builder-lib/package.json')), 'helpers', 'x.js'));
    const rebuilderPkg = JSON.parse(readFileSync(fromBuilder.resolve('@electron/rebuild/package.json'), 'utf8')) as { version: string; engines: { node: string } };
    expect(semver.satisfies(oldest, rebuilderPkg.engines.node)).toBe(true);
    const mod = (await import(fromBuilder.resolve('@electron/rebuild'))) as { rebuild?: unknown; default?: { rebuild?: unknown } };
    expect(typeof (mod.rebuild ?? mod.default?.rebuild)).toBe('function');
  });
});
