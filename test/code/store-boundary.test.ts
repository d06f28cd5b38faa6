import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BOT = join(ROOT, 'bot');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') || e.name.endsWith('.cjs') ? [path] : [];
  });
}

/** SQL as the store writes it: upper-case keywords in a statement's shape. */
const SQL = [
  /\bSELECT\b[\s\S]{0,200}?\bFROM\b/,
  /\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b/,
  /\bUPDATE\s+\w+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\b(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|TRIGGER|VIEW)\b/,
  /\bPRAGMA\b|\.pragma\(/,
];
/** Ways to reach a database directly. */
const DRIVERS = [/from ['"]better-sqlite3['"]/, /from ['"]pg['"]/, /require\(['"](?:better-sqlite3|pg)['"]\)/];

function offences(text: string): string[] {
  const found: string[] = [];
  for (const re of [...SQL, ...DRIVERS]) {
    const m = re.exec(text);
    if (m) found.push(m[0].replace(/\s+/g, ' ').slice(0, 60));
  }
  return found;
}

describe('the store boundary', () => {
  it('has no SQL and no database driver anywhere in bot/ outside bot/store/', () => {
    const outside = sourceFiles(BOT).filter((f) => !relative(BOT, f).startsWith(`store${'/'}`));
    expect(outside.length).toBeGreaterThan(50);
    const found = outside.flatMap((f) => offences(readFileSync(f, 'utf8')).map((o) => `${relative(ROOT, f)}: ${o}`));
    expect(found).toEqual([]);
  });

  it('would notice SQL or a driver import (the patterns match what the store itself writes)', () => {
    const store = sourceFiles(join(BOT, 'store')).filter((f) => !f.endsWith('.test.ts'));
    const texts = store.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const re of [...SQL.slice(0, 5), DRIVERS[0]!]) expect(re.test(texts), String(re)).toBe(true);
    expect(offences("db.prepare('UPDATE handoffs SET status = ? WHERE id = ?')")).toHaveLength(1);
    expect(offences('Select a reason from the list')).toEqual([]);
  });
});
