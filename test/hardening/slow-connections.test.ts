import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const SLOW = 2_000;
/** The bot gets fewer file handles than there are slow connections, as on a small host. */
const FD_LIMIT = 1_024;

let slack: SlackEmulator;
let dir: string;
let bot: BotProcess;
const sockets: Socket[] = [];
beforeAll(async () => {
  slack = await startTestSlack();
  dir = tempDir('handoff-slow-');
  bot = await startBotProcess({ dir, slackApiUrl: slack.apiUrl, fdLimit: FD_LIMIT });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await bot?.kill('SIGKILL');
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A client that sends the headers and the first bytes of a webhook body, then stalls. */
function slowUpload(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    s.on('error', () => undefined);
    s.on('close', () => resolve());
    s.on('connect', () => {
      s.write('POST /v1/handoffs HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{"workflow_id":');
      resolve();
    });
  });
}

describe('a flood of slow uploads', () => {
  it(`does not keep a valid webhook out: ${SLOW} stalled connections against a bot with ${FD_LIMIT} file handles`, async () => {
    const linesBefore = bot.stdout().split('\n').length;
    for (let i = 0; i < SLOW; i += 200) {
      await Promise.all(Array.from({ length: Math.min(200, SLOW - i) }, () => slowUpload(bot.port)));
    }
    const res = await postHandoff(bot.url, sampleHandoff());
    expect(res.status).toBe(202);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    // Dropped connections are summarised, not logged one line each.
    const logged = bot.stdout().split('\n').length - linesBefore;
    expect(logged).toBeLessThan(20);
  });
});
