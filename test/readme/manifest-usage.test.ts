import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commandUsage } from '../../bot/slack/interactions/route-table.js';

const manifest = parse(readFileSync(join(import.meta.dirname, '../../slack-app-manifest.yml'), 'utf8')) as {
  features: { slash_commands: { command: string; usage_hint: string }[] };
};

describe('the Slack app manifest', () => {
  it('hints every /handoff subcommand the bot answers (Slack shows the hint as you type)', () => {
    const hint = manifest.features.slash_commands.find((c) => c.command === '/handoff')!.usage_hint;
    const words = new Set(hint.split(' | ').map((part) => part.trim().split(/\s+/)[0]));
    const subcommands = new Set(commandUsage().map((u) => u.example.split(' ')[0]));
    expect([...subcommands].sort()).toEqual([...words].sort());
    expect(subcommands).toContain('oncall');
  });
});
