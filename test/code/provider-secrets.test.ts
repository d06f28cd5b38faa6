import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../bot/config/env.js';
import { PROVIDERS, providerSecretsFrom } from '../../bot/providers/index.js';
import { PLATFORMS } from '../../bot/providers/types.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The environment variables an adapter reads, learned by watching it read. */
function variablesRead(secretsFrom: (env: Readonly<Record<string, string | undefined>>) => unknown): string[] {
  const read = new Set<string>();
  secretsFrom(new Proxy({}, { get: (_target, name) => (read.add(String(name)), undefined) }));
  return [...read];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [relative(ROOT, path).split(sep).join('/')] : [];
  });
}

describe("each voice platform's secrets are its adapter's own", () => {
  const byPlatform = Object.fromEntries(PLATFORMS.map((p) => [p, variablesRead(PROVIDERS[p].secretsFrom)]));

  it('every registered platform reads its secrets from the environment itself', () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual([...PLATFORMS].sort());
    for (const p of PLATFORMS) expect(byPlatform[p], p).not.toEqual([]);
    expect(byPlatform.retell).toEqual(['RETELL_API_KEY']);
    expect(byPlatform.elevenlabs).toEqual(['ELEVENLABS_WEBHOOK_SECRET', 'ELEVENLABS_TOOL_TOKEN']);
  });

  it('names a variable only a platform reads nowhere else in bot/: adding a platform edits no settings, env or app', () => {
    // Variables the env schema knows are shared with other parts (TWILIO_AUTH_TOKEN is SMS's too).
    const shared = new Set(Object.keys(envSchema.shape));
    const platformOnly = Object.values(byPlatform).flat().filter((v) => !shared.has(v));
    expect(platformOnly).toEqual(expect.arrayContaining(['RETELL_API_KEY', 'VAPI_SECRET', 'ELEVENLABS_WEBHOOK_SECRET', 'ELEVENLABS_TOOL_TOKEN']));
    const outside = sourceFiles(join(ROOT, 'bot')).filter((f) => !f.startsWith('bot/providers/'));
    expect(outside).toContain('bot/settings.ts');
    const found = outside.flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return platformOnly.filter((v) => text.includes(v)).map((v) => `${f} names ${v}`);
    });
    expect(found).toEqual([]);
  });

  it('reads values trimmed, and a blank one as not configured', () => {
    const secrets = providerSecretsFrom({ RETELL_API_KEY: '  key_1  ', VAPI_SECRET: '   ', HANDOFF_PUBLIC_URL: 'https://h.example.com//', TWILIO_AUTH_TOKEN: 't' });
    expect(secrets.retell).toEqual({ apiKey: 'key_1' });
    expect(secrets.vapi).toEqual({ secret: null });
    expect(secrets.elevenlabs).toEqual({ webhookSecret: null, toolToken: null });
    expect(secrets.twilio).toEqual({ authToken: 't', publicUrl: 'https://h.example.com' });
  });
});
