import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { MiB, processMemory } from '../support/process-memory.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { pair } from '../support/desktop-api.js';

const HANDOFFS = 600;
const TOKENS = 10;
const STREAMS_PER_TOKEN = 4;
/** The bound this test states: 40 stalled streams on a 12 MB state grow the bot by less than this. */
const MEMORY_BOUND = 96 * MiB;

/** A workflow whose urgent handoffs carry five 4,000-character fields: about 20 KB per desktop view. */
const BULK = {
  ...structuredClone(TEST_CONFIG_DOC.workflows[0]!),
  id: 'bulk',
  name: 'Bulk line',
  fields: Array.from({ length: 5 }, (_, i) => ({ name: `note_${i}`, type: 'text', required: true })),
};
const CONFIG = { ...TEST_CONFIG_DOC, workflows: [...structuredClone(TEST_CONFIG_DOC.workflows), BULK] };

let slack: SlackEmulator;
let dir: string;
let bot: BotProcess;
const sockets: Socket[] = [];
beforeAll(async () => {
  slack = await startTestSlack();
  dir = tempDir('handoff-streams-');
  bot = await startBotProcess({ dir, slackApiUrl: slack.apiUrl, config: CONFIG });
  slack.setBotEventsUrl(`${bot.url}/slack/events`);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await bot?.kill('SIGKILL');
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function token(user: string): Promise<string> {
  const answer = await slack.sendSlashCommand({ user, channel: 'C0CLINIC01', text: 'desktop' });
  const code = /\*([A-Z0-9]{4}-[A-Z0-9]{4})\*/.exec(answer.body)?.[1];
  if (!code) throw new Error(`no pairing code (${answer.status})`);
  const res = await pair(bot.url, code, 'stalled');
  if (res.status !== 200) throw new Error(`pairing answered ${res.status}`);
  return res.json.token as string;
}

/** Opens GET /v1/events and never reads from it; resolves once the stream's headers were sent. */
function stalledStream(port: number, bearer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    s.on('error', reject);
    s.once('data', (d: Buffer) => {
      if (!d.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(d.toString('latin1').slice(0, 80)));
      // Stop reading: the kernel buffers fill and the bot sees backpressure.
      s.pause();
      resolve();
    });
    s.on('connect', () => s.write(`GET /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${bearer}\r\naccept: text/event-stream\r\n\r\n`));
  });
}

describe('desktop streams that do not read', () => {
  it(`keep memory under ${MEMORY_BOUND / MiB} MiB growth with ${TOKENS * STREAMS_PER_TOKEN} streams on a ~12 MB state, and intake keeps working`, async () => {
    const long = (i: number, k: number) => `${i}:${k} `.padEnd(4000, 'x');
    for (let i = 0; i < HANDOFFS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, HANDOFFS - i) }, (_, j) =>
          postHandoff(bot.url, sampleHandoff({ workflow_id: 'bulk', structured_fields: Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`note_${k}`, long(i + j, k)])) })),
        ),
      );
      for (const r of batch) expect(r.status).toBe(202);
    }
    const tokens: string[] = [];
    for (let i = 0; i < TOKENS; i++) tokens.push(await token('U0ALICE01'));

    const before = processMemory(bot.child.pid!);
    for (const t of tokens) for (let k = 0; k < STREAMS_PER_TOKEN; k++) await stalledStream(bot.port, t);
    const res = await postHandoff(bot.url, sampleHandoff());
    expect(res.status).toBe(202);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const after = processMemory(bot.child.pid!);
    expect(after.peak - before.rss).toBeLessThan(MEMORY_BOUND);
  }, 180_000);
});
