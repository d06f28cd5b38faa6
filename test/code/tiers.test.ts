import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIERS, testFilesByTier, tierOf } from '../support/tiers.js';

const ROOT = join(import.meta.dirname, '../..');
// Built, not written out: this file's own source must not read as starting what it names.
const call = (name: string, args = '') => `${name}(${args})`;
const importOf = (module: string) => `import { x } from '${module}';`;

describe('test tiers (vitest projects)', () => {
  it('reads a file\'s tier from what it starts', () => {
    expect(tierOf("import { buildHandoffCard } from './handoff-card.js';\nexpect(buildHandoffCard(x)).toEqual(y);")).toBe('unit');
    expect(tierOf("import { tempDir } from '../support/harness.js';")).toBe('unit');
    expect(tierOf(`h = await ${call('startHarness', '{ dir }')};`)).toBe('in-process');
    expect(tierOf(`const slack = await ${call('startTestSlack')};`)).toBe('in-process');
    expect(tierOf(`${call('server.listen', "0, '127.0.0.1'")};`)).toBe('in-process');
    expect(tierOf(`const bot = await ${call('startBotProcess', '{ dir }')};\nh = await ${call('startHarness', '{ dir }')};`)).toBe('system');
    expect(tierOf(`const server = ${call('sharedPostgres')};`)).toBe('system');
    expect(tierOf(importOf('node:child_process'))).toBe('system');
    expect(tierOf(importOf('electron-builder'))).toBe('system');
    expect(tierOf(`browser = await ${call('chromium.launch', "{ executablePath: '/usr/bin/chromium' }")};`)).toBe('system');
  });

  it('puts every test file in exactly one tier, and each PostgreSQL test where the shared server is', () => {
    const byTier = testFilesByTier(ROOT);
    const all = TIERS.flatMap((t) => byTier[t]);
    expect(new Set(all).size).toBe(all.length);
    for (const t of TIERS) expect(byTier[t].length, `${t} tier`).toBeGreaterThan(0);
    const usesPostgres = all.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(call('sharedPostgres')));
    expect(usesPostgres.length).toBeGreaterThan(0);
    expect(usesPostgres.filter((f) => !byTier.system.includes(f))).toEqual([]);
    expect(byTier.unit).toContain('test/code/tiers.test.ts');
  });
});
