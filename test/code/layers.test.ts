import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The layer order of ARCHITECTURE.md ("Layers"), lowest first. A file may import its own layer and
 * the layers below it, never one above; in a layer marked `apart` no unit imports another unit (a
 * unit is one folder, or the folders of one `a+b` entry, which may import each other). Every source
 * file of bot/ and shared/ belongs to exactly one folder here, so a new folder must be placed.
 */
const LAYERS: readonly { name: string; parts: readonly string[]; apart?: boolean }[] = [
  { name: 'shared', parts: ['shared'] },
  { name: 'base', parts: ['bot/errors', 'bot/observability'] },
  { name: 'config', parts: ['bot/config'] },
  { name: 'domain', parts: ['bot/domain'] },
  { name: 'store', parts: ['bot/store'] },
  {
    name: 'features',
    parts: ['bot/actions', 'bot/outbox', 'bot/escalation', 'bot/callbacks', 'bot/sms', 'bot/voice', 'bot/retention', 'bot/stats', 'bot/pairing', 'bot/details-page'],
  },
  { name: 'http', parts: ['bot/http'] },
  { name: 'transports', parts: ['bot/slack', 'bot/desktop-api', 'bot/intake+bot/providers+bot/connect'], apart: true },
  { name: 'app', parts: ['bot/app.ts', 'bot/main.ts', 'bot/settings.ts'] },
];

interface Placed {
  layer: number;
  /** The unit: one folder, or `a+b+c` for folders that form one. */
  part: string;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The part (and its layer) a repository path belongs to; null when it is outside the layered code. */
function placeOf(path: string): Placed | null {
  for (const [layer, { parts }] of LAYERS.entries()) {
    for (const part of parts) {
      for (const folder of part.split('+')) if (path === folder || path.startsWith(`${folder}/`)) return { layer, part };
    }
  }
  return null;
}

/** Relative module specifiers a source text imports, re-exports or requires (type-only imports included). */
function importsOf(text: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom|\bimport|\brequire\()\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) found.push(m[1]!);
  return found;
}

/** What `file` (a repository path) importing `specifier` does against the layers, or null when it is allowed. */
function violation(file: string, specifier: string): string | null {
  const from = placeOf(file);
  const target = toPosix(relative(ROOT, join(ROOT, dirname(file), specifier))).replace(/\.js$/, '.ts');
  const to = placeOf(target);
  if (!from || !to || from.part === to.part) return null;
  const [fromLayer, toLayer] = [LAYERS[from.layer]!, LAYERS[to.layer]!];
  if (to.layer > from.layer) return `${file} imports ${target}: ${fromLayer.name} (${from.part}) may not import ${toLayer.name} (${to.part}), a layer above it`;
  if (to.layer === from.layer && fromLayer.apart) return `${file} imports ${target}: ${from.part} and ${to.part} are kept apart in ${fromLayer.name}`;
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|cjs|mjs|js)$/.test(e.name) ? [toPosix(relative(ROOT, path))] : [];
  });
}

describe('the layers', () => {
  const files = [...sourceFiles(join(ROOT, 'bot')), ...sourceFiles(join(ROOT, 'shared'))];

  it('place every source file of bot/ and shared/ in exactly one layer', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.filter((f) => placeOf(f) === null)).toEqual([]);
    const parts = LAYERS.flatMap((l) => l.parts.flatMap((p) => p.split('+')));
    expect(new Set(parts).size).toBe(parts.length);
  });

  it('are never imported upwards (nor across parts kept apart)', () => {
    const found = files.flatMap((f) => importsOf(readFileSync(join(ROOT, f), 'utf8')).flatMap((s) => violation(f, s) ?? []));
    expect(found).toEqual([]);
  });

  it('keep the desktop app off the bot: desktop/ imports shared/, never bot/', () => {
    const desktop = sourceFiles(join(ROOT, 'desktop')).filter((f) => !f.startsWith('desktop/node_modules/'));
    expect(desktop.length).toBeGreaterThan(10);
    const intoBot = desktop.flatMap((f) =>
      importsOf(readFileSync(join(ROOT, f), 'utf8'))
        .map((s) => toPosix(relative(ROOT, join(ROOT, dirname(f), s))))
        .filter((t) => t.startsWith('bot/'))
        .map((t) => `${f} imports ${t}`),
    );
    expect(intoBot).toEqual([]);
  });

  it('would fail on an up-import, on a crossing between parts kept apart, and allows the rest', () => {
    expect(violation('bot/domain/routing.ts', '../slack/mrkdwn.js')).toMatch(/domain \(bot\/domain\) may not import transports \(bot\/slack\)/);
    expect(violation('bot/config/env.ts', '../http/client-address.js')).toMatch(/config .* may not import http/);
    expect(violation('shared/errors.ts', '../bot/domain/ids.js')).toMatch(/shared .* may not import domain/);
    expect(violation('bot/desktop-api/sse-hub.ts', '../slack/storm-policy.js')).toMatch(/kept apart in transports/);
    expect(violation('bot/slack/request-guard.ts', '../intake/well-formed.js')).toMatch(/bot\/slack and bot\/intake\+bot\/providers\+bot\/connect are kept apart/);
    expect(violation('bot/providers/provider-handler.ts', '../intake/call-intake.js')).toBeNull();
    expect(violation('bot/intake/intake-handler.ts', '../http/read-body.js')).toBeNull();
    expect(violation('bot/slack/delivery.ts', '../store/store.js')).toBeNull();
    expect(violation('bot/actions/perform-action.ts', '../voice/call-back-twiml.js')).toBeNull();
    expect(violation('bot/app.ts', './slack/delivery.js')).toBeNull();
  });

  it('read every way a module is named: import, import type, export from, dynamic import, require', () => {
    const text = [
      "import { a } from './a.js';",
      "import type {\n  B,\n} from '../b.js';",
      "export { c } from './c.js';",
      "const d = await import('./d.js');",
      "const e = require('./e.cjs');",
      "import './f.js';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.cjs', './f.js']);
  });
});
