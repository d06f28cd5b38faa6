import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.includes('.test') ? [path] : [];
  });
}

describe('the Slack Web API boundary', () => {
  it('passes what the builders make to Slack uncast: no `as never` in the bot', () => {
    const files = sourceFiles(join(ROOT, 'bot'));
    expect(files.length).toBeGreaterThan(50);
    const casts = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bas never\b/.test(line) ? [`${relative(ROOT, f)}:${i + 1}`] : [])),
    );
    expect(casts).toEqual([]);
  });
});
