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

/** The stored record's keys that hold the caller's data (bot/store/records.ts). */
const PERSONAL_KEYS = /\b(callerId|structuredFields|callerMessage|callSummary)\b/;

describe('what leaves for Slack goes through the chat view (docs/contract/regulated-workflows.md)', () => {
  it('no module that builds or sends Slack messages reads a handoff record’s caller data; only bot/slack/chat-view.ts does', () => {
    // Everything under bot/slack/ (cards, modals, replies, App Home, /handoff answers, delivery) and the weekly stats digest.
    const files = [...sourceFiles(join(ROOT, 'bot', 'slack')), ...sourceFiles(join(ROOT, 'bot', 'stats'))];
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => relative(ROOT, f))).toContain('bot/slack/chat-view.ts');
    const readers = files
      .filter((f) => relative(ROOT, f) !== 'bot/slack/chat-view.ts')
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) => (PERSONAL_KEYS.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(readers).toEqual([]);
  });
});
