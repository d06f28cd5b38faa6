import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envExampleProblems, readmeTableVariables } from '../../scripts/env-example.js';

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');

describe('.env.example names every variable the README documents (npm run docs:check)', () => {
  it('the repository\'s files are in step, including the ones a new user missed', () => {
    expect(envExampleProblems(README, EXAMPLE)).toEqual([]);
    for (const name of ['HANDOFF_PUBLIC_URL', 'RETELL_API_KEY', 'VAPI_SECRET', 'ELEVENLABS_WEBHOOK_SECRET', 'ELEVENLABS_TOOL_TOKEN', 'POSTGRES_PASSWORD']) {
      expect(EXAMPLE).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
    }
    expect(readmeTableVariables(README)).toEqual(expect.arrayContaining(['PORT', 'HANDOFF_WEBHOOK_SECRETS', 'TWILIO_API_URL']));
  });

  it('finds a variable the table adds but the file lacks, and one the file names but no table explains', () => {
    const table = '| variable | meaning | default |\n|---|---|---|\n| `A_VAR`, `B_VAR` | x | y |\n\nPut `C_VAR` in `.env` too.\n';
    expect(envExampleProblems(table, 'A_VAR=1\n# B_VAR=2\nC_VAR=3\n')).toEqual([]);
    expect(envExampleProblems(table, 'A_VAR=1\n# C_VAR=3\nD_VAR=4\n')).toEqual([
      '.env.example does not name B_VAR, which README.md documents',
      ".env.example names D_VAR, which README.md's table does not explain",
    ]);
    expect(envExampleProblems('no table here', 'A_VAR=1\n')).toContain("README.md has no '| variable | meaning | default |' table");
  });
});
