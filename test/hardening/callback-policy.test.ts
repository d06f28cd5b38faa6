import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { makePendingDue } from '../support/outbox.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

let h: Harness | undefined;
let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = receiver = undefined;
});

/** A harness whose clinic workflow lists exactly `hosts` as callback_hosts. */
async function start(hosts: string[], clock?: () => number): Promise<Harness> {
  h = await startHarness({
    clock,
    outbox: { paceMs: 0 },
    config: testConfig((doc) => {
      doc.workflows[0]!.callback_hosts = hosts;
      return doc;
    }),
  });
  return h;
}

async function claim(bot: Harness, id: string): Promise<void> {
  const card = await until(async () => (await bot.bot.store.handoffs.get(id))?.slackTs && (await bot.bot.store.handoffs.get(id)), 5000, 'the card');
  await bot.slack.sendBlockAction({ user: 'U0ALICE01', channel: card.slackChannel!, messageTs: card.slackTs!, actionId: 'handoff_claim', value: id });
}

const callbackRow = async (bot: Harness, id: string) => (await bot.bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'callback.send');

describe('callback_hosts', () => {
  it('empty means no callbacks: a handoff with a public URL is accepted with callbacks off, and why is recorded', async () => {
    const bot = await start([]);
    const res = await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: 'https://hooks.example.com/status' }));
    expect(res.status).toBe(202);
    const row = (await bot.bot.store.handoffs.get(res.json.handoff_id as string))!;
    expect(row.callbacksEnabled).toBe(false);
    expect(row.callbacksOffReason).toBe('ssrf_refused:no_callback_hosts');
  });

  it('an entry with a port allows that port only; one without a port allows any', async () => {
    receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
    const port = Number(new URL(receiver.url).port);
    const bot = await start([`127.0.0.1:${port}`, 'localhost']);
    const ok = await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: `${receiver.url}/status` }));
    const wrongPort = await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: `http://127.0.0.1:${port === 65535 ? 1 : port + 1}/status` }));
    const anyPort = await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: `http://localhost:${port}/status` }));
    expect((await bot.bot.store.handoffs.get(ok.json.handoff_id as string))!.callbacksEnabled).toBe(true);
    expect((await bot.bot.store.handoffs.get(wrongPort.json.handoff_id as string))!.callbacksOffReason).toBe('ssrf_refused:host_not_allowed');
    expect((await bot.bot.store.handoffs.get(anyPort.json.handoff_id as string))!.callbacksEnabled).toBe(true);
    await claim(bot, ok.json.handoff_id as string);
    await until(() => receiver!.received.length === 1, 5000, 'the callback on the listed port');
  });
});

describe('callback retries', () => {
  for (const status of [410, 404, 400]) {
    it(`does not retry a callback answered ${status}: given up after that one request`, async () => {
      receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
      receiver.failNext(100, { kind: 'status', status });
      const bot = await start(['127.0.0.1']);
      const id = (await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: `${receiver.url}/status` }))).json.handoff_id as string;
      await claim(bot, id);
      await until(async () => (await callbackRow(bot, id))?.status === 'failed', 5000, 'the row given up');
      expect((await callbackRow(bot, id))!.lastError).toBe(`not_retryable:http_${status}`);
      makePendingDue(bot);
      await bot.bot.outbox.whenIdle();
      expect(receiver.received).toHaveLength(1);
    });
  }

  it('retries 408 and 429, with delays that grow from the first failure on (up to 5 s, then 15-30 s)', async () => {
    const now = Date.now();
    receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
    receiver.failNext(1, { kind: 'status', status: 408 });
    receiver.failNext(1, { kind: 'status', status: 429 });
    const bot = await start(['127.0.0.1'], () => now);
    const id = (await postHandoff(bot.bot.url, sampleHandoff({ webhook_url: `${receiver.url}/status` }))).json.handoff_id as string;
    await claim(bot, id);
    const first = await until(async () => {
      const r = await callbackRow(bot, id);
      return r && r.attempts === 1 && r.nextAttemptAt !== null && r;
    }, 5000, 'the first failure recorded');
    expect(first.status).toBe('pending');
    expect(first.nextAttemptAt! - now).toBeGreaterThanOrEqual(2_500);
    expect(first.nextAttemptAt! - now).toBeLessThanOrEqual(5_000);
    makePendingDue(bot);
    const second = await until(async () => {
      const r = await callbackRow(bot, id);
      return r && r.attempts === 2 && r.nextAttemptAt !== null && r.nextAttemptAt > 0 && r;
    }, 5000, 'the second failure recorded');
    expect(second.status).toBe('pending');
    // Not the first step again: the second delay is longer than the first can ever be.
    expect(second.nextAttemptAt! - now).toBeGreaterThanOrEqual(15_000);
    expect(second.nextAttemptAt! - now).toBeLessThanOrEqual(30_000);
  });
});
