import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { TEST_SECRET } from '../support/webhooks.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const run = promisify(execFile);

function codeBlock(lang: string, containing: string): string {
  const blocks = [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes(containing));
  if (!block) throw new Error(`README has no ${lang} block containing ${containing}`);
  return block;
}

let h: Harness;
const scratch = join(import.meta.dirname, '.scratch');
beforeAll(async () => {
  h = await startHarness();
  mkdirSync(scratch, { recursive: true });
});
afterAll(async () => {
  await h.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the README\'s "Wire a phone agent" examples', () => {
  it('uses the secret the tests sign with, so the examples below are checked against a real bot', () => {
    expect(codeBlock('sh', 'openssl dgst')).toContain(TEST_SECRET);
  });

  it('the curl + openssl example gets a 202 from the bot', async () => {
    const script = codeBlock('sh', 'openssl dgst').replaceAll('http://127.0.0.1:3000', h.bot.url);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 20_000 });
    const answer = JSON.parse(stdout) as { handoff_id: string; severity: string; caller_message: string };
    expect(answer.handoff_id).toMatch(/^ho_/);
    expect(answer).toMatchObject({ severity: 'urgent', caller_message: 'I am marking this for a person now.' });
    expect((await h.bot.store.handoffs.get(answer.handoff_id))?.signatureStatus).toBe('verified');
  });

  it('the TypeScript signing snippet gets a 202 from the bot', async () => {
    const file = join(scratch, 'send-handoff.ts');
    writeFileSync(file, codeBlock('ts', 'export async function sendHandoff'));
    const { sendHandoff } = (await import(file)) as {
      sendHandoff: (url: string, secret: string, handoff: object) => Promise<{ status: number; body: { handoff_id: string } }>;
    };
    const result = await sendHandoff(`${h.bot.url}/v1/handoffs`, TEST_SECRET, {
      workflow_id: 'billing',
      caller_id: '+15555550999',
      call_status: 'on_hold',
      structured_fields: { account_number: 'AC-7' },
      webhook_url: 'http://127.0.0.1:9/cb',
      handoff_reason: 'billing_question',
    });
    expect(result.status).toBe(202);
    expect((await h.bot.store.handoffs.get(result.body.handoff_id))?.workflowId).toBe('billing');
  });
});
