import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { freePort } from '../../test/support/postgres.js';
import { classifySlackError } from './slack-errors.js';

const TOKEN = 'xoxb-classify-test';
const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

let emu: SlackEmulator;
const client = (url: string) => new WebClient(TOKEN, { slackApiUrl: url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silent });
const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('the call should fail'), classifySlackError);

beforeEach(async () => {
  emu = await startSlackEmulator({ botToken: TOKEN, signingSecret: 's', channels: [{ id: 'C0CLINIC', name: 'clinic-handoffs' }], rateLimits: false });
});
afterEach(() => emu.close());

// What the WebClient really throws (web-api 8's error classes, over fetch), sorted into what the outbox decides on.
describe('classifySlackError', () => {
  it('a 429 is rate_limited with its Retry-After', async () => {
    emu.faults.rateLimit('chat.postMessage', 7, 1);
    expect(await failure(client(emu.apiUrl).chat.postMessage({ channel: 'C0CLINIC', text: 'x' }))).toEqual({ class: 'rate_limited', code: 'ratelimited', retryAfterMs: 7_000 });
  });

  it('a Slack error is auth, permanent or transient by its code', async () => {
    emu.faults.slackError('chat.postMessage', 'token_revoked', 1);
    emu.faults.slackError('chat.update', 'is_archived', 1);
    emu.faults.slackError('chat.delete', 'internal_error', 1);
    const c = client(emu.apiUrl);
    expect(await failure(c.chat.postMessage({ channel: 'C0CLINIC', text: 'x' }))).toEqual({ class: 'auth', code: 'token_revoked' });
    expect(await failure(c.chat.update({ channel: 'C0CLINIC', ts: '1.0', text: 'x' }))).toEqual({ class: 'permanent', code: 'is_archived' });
    expect(await failure(c.chat.delete({ channel: 'C0CLINIC', ts: '1.0' }))).toEqual({ class: 'transient', code: 'internal_error' });
  });

  it('an HTTP error status is transient, named by its status', async () => {
    emu.faults.add({ method: '*', fault: { kind: 'status', status: 503 }, times: 1 });
    expect(await failure(client(emu.apiUrl).auth.test())).toEqual({ class: 'transient', code: 'http_503' });
  });

  it("a refused connection is transient and keeps the system's code from fetch's cause", async () => {
    const port = await freePort();
    expect(await failure(client(`http://127.0.0.1:${port}/api/`).auth.test())).toEqual({ class: 'transient', code: 'ECONNREFUSED' });
  });
});
