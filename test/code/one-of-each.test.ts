import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(e.name) ? [path] : [];
  });
}

const FILES = ['bot', 'desktop', 'sandbox', 'shared'].flatMap((d) => sources(join(ROOT, d)));
const matching = (re: RegExp) => FILES.filter((f) => re.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));

describe('one module each', () => {
  it('computes retry delays in one formula: shared/backoff.ts is the only exponential', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(matching(/[\w)\]] \*\* [\w(]|Math\.pow\(/)).toEqual(['shared/backoff.ts']);
  });

  it('states Slack\'s Block Kit limits in one table: shared/block-kit-limits.ts', () => {
    expect(matching(/\b(?:sectionText|headerText|messageBlocks|blocksPerMessage)\s*:\s*\d/)).toEqual(['shared/block-kit-limits.ts']);
  });
});
