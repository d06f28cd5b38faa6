import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { MiB, processMemory } from '../support/process-memory.js';

let slack: SlackEmulator;
let dir: string;
let bot: BotProcess;
beforeAll(async () => {
  slack = await startTestSlack();
  dir = tempDir('handoff-slack-body-');
  bot = await startBotProcess({ dir, slackApiUrl: slack.apiUrl });
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Streams up to `totalBytes` of an unsigned chunked body to /slack/events, honouring backpressure,
 * until the bot answers; returns the status line's code and how much was sent.
 */
function streamUntilAnswered(port: number, totalBytes: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(MiB, 'a');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    let answered = false;
    let head = '';
    socket.on('error', (err) => {
      if (!answered) reject(err);
    });
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m && !answered) {
        answered = true;
        socket.destroy();
        resolve({ status: Number(m[1]), sent });
      }
    });
    const pump = (): void => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!answered && sent >= totalBytes) socket.write('0\r\n\r\n');
    };
    socket.on('connect', () => {
      socket.write(
        'POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n',
      );
      pump();
    });
  });
}

/**
 * Sends `totalBytes` of an unsigned chunked body to `path` without reading anything (a client
 * busy uploading), then reads what the bot answered: whatever its socket holds once the upload is done
 * or refused.
 */
function uploadThenRead(port: number, path: string, totalBytes: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    const chunk = Buffer.alloc(MiB, 'a');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    let received = '';
    let uploading = true;
    const read = (): void => {
      if (!uploading) return;
      uploading = false;
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      socket.resume();
    };
    socket.on('error', read);
    socket.on('close', () => resolve(received));
    const pump = (): void => {
      while (uploading && sent < totalBytes) {
        sent += chunk.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
      read();
    };
    socket.on('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\ntransfer-encoding: chunked\r\n\r\n`,
      );
      pump();
    });
  });
}

describe('request body limits (Slack 1 MiB, webhook and platforms 64 KiB)', () => {
  it('answers 413 to a declared Content-Length over 1 MiB without reading it, before any signature check', async () => {
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a'.repeat(MiB + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('answers 413 to a 300 MB unsigned streamed body as soon as it passes 1 MiB, without the process growing by the body', async () => {
    const before = processMemory(bot.child.pid!);
    const { status } = await streamUntilAnswered(bot.port, 300 * MiB);
    const after = processMemory(bot.child.pid!);
    expect(status).toBe(413);
    // Bound: the peak resident size grows by less than 64 MiB (the old code held the whole 300 MB body, twice).
    expect(after.peak - before.rss).toBeLessThan(64 * MiB);
    // The bot still answers.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('lets a client that reads only after its upload still read the 413: the bot drains for a while instead of resetting', async () => {
    // Closing at once, with the upload still arriving, makes the kernel reset the connection and the client
    // loses the 413 unread in its buffer (it sees only ECONNRESET/EPIPE).
    const answer = await uploadThenRead(bot.port, '/slack/events', 16 * MiB);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('payload_too_large');
  });

  it('does the same for the webhook (64 KiB) and a voice platform endpoint', async () => {
    for (const path of ['/v1/handoffs', '/v1/providers/vapi/clinic-after-hours']) {
      const answer = await uploadThenRead(bot.port, path, 16 * MiB);
      expect(answer, path).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer, path).toContain('payload_too_large');
    }
  });
});
