import { ErrorCode, LogLevel, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from './index.js';
import { SLACK_RATE_LIMITS, takeToken } from './rate-limits.js';

const TOKEN = 'xoxb-test-token';
const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
let emu: SlackEmulator | undefined;
let now = 1_700_000_000_000;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(rateLimits?: false): Promise<WebClient> {
  now = 1_700_000_000_000;
  emu = await startSlackEmulator({
    botToken: TOKEN,
    signingSecret: 'sekret',
    channels: [
      { id: 'C0ONE', name: 'one' },
      { id: 'C0TWO', name: 'two' },
    ],
    clock: () => now,
    ...(rateLimits === false ? { rateLimits } : {}),
  });
  return new WebClient(TOKEN, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silent });
}

async function rateLimited(p: Promise<unknown>): Promise<WebAPIRateLimitedError> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIRateLimitedError | undefined;
  expect(err?.code).toBe(ErrorCode.RateLimitedError);
  return err!;
}

describe('token buckets', () => {
  it('allows a burst, then one token per 1/rate seconds, and says how long to wait in whole seconds', () => {
    const spec = { ratePerSec: 1, burst: 2 };
    let state = takeToken(undefined, spec, 0);
    expect(state.decision.ok).toBe(true);
    state = takeToken(state.bucket, spec, 0);
    expect(state.decision.ok).toBe(true);
    state = takeToken(state.bucket, spec, 100);
    expect(state.decision).toEqual({ ok: false, retryAfterSec: 1 });
    state = takeToken(state.bucket, spec, 1_000);
    expect(state.decision.ok).toBe(true);
    const tier3 = SLACK_RATE_LIMITS.tiers['chat.update']!;
    let b = takeToken(undefined, tier3, 0);
    for (let i = 1; i < tier3.burst; i++) b = takeToken(b.bucket, tier3, 0);
    expect(takeToken(b.bucket, tier3, 0).decision).toEqual({ ok: false, retryAfterSec: 2 });
  });
});

describe("the emulator enforces Slack's rate limits", () => {
  it('chat.postMessage: a short burst per channel, then 429 with Retry-After; another channel has its own bucket', async () => {
    const client = await start();
    const burst = SLACK_RATE_LIMITS.postPerChannel.burst;
    for (let i = 0; i < burst; i++) await client.chat.postMessage({ channel: 'C0ONE', text: `m${i}` });
    const err = await rateLimited(client.chat.postMessage({ channel: 'C0ONE', text: 'one too many' }));
    expect(err.retryAfter).toBe(1);
    expect(emu!.messages('C0ONE')).toHaveLength(burst);
    await client.chat.postMessage({ channel: 'C0TWO', text: 'other channel' });
    now += 1_000;
    await client.chat.postMessage({ channel: 'C0ONE', text: 'a second later' });
    expect(emu!.calls.all('chat.postMessage').filter((c) => c.outcome === 'ratelimited')).toHaveLength(1);
  });

  it('chat.update: Tier 3 for the whole workspace, whatever the channel', async () => {
    const client = await start();
    const a = await client.chat.postMessage({ channel: 'C0ONE', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'C0TWO', text: 'b' });
    const burst = SLACK_RATE_LIMITS.tiers['chat.update']!.burst;
    for (let i = 0; i < burst; i++) await client.chat.update({ channel: i % 2 ? 'C0ONE' : 'C0TWO', ts: (i % 2 ? a.ts : b.ts)!, text: `v${i}` });
    const err = await rateLimited(client.chat.update({ channel: 'C0ONE', ts: a.ts!, text: 'too many' }));
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    now += err.retryAfter * 1_000;
    await client.chat.update({ channel: 'C0ONE', ts: a.ts!, text: 'after the wait' });
  });

  it('can be turned off, and on again at run time', async () => {
    const client = await start(false);
    for (let i = 0; i < 20; i++) await client.chat.postMessage({ channel: 'C0ONE', text: `m${i}` });
    emu!.rateLimits.configure(SLACK_RATE_LIMITS);
    for (let i = 0; i < SLACK_RATE_LIMITS.postPerChannel.burst; i++) await client.chat.postMessage({ channel: 'C0ONE', text: `n${i}` });
    await rateLimited(client.chat.postMessage({ channel: 'C0ONE', text: 'limited again' }));
  });
});
