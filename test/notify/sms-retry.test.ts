import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { makePendingDue } from '../support/outbox.js';
import type { OutboxRecord } from '../../bot/store/records.js';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const HOUR = 3_600_000;
let h: Harness | undefined;
let twilio: TwilioFake | undefined;
afterEach(async () => {
  await h?.close();
  await twilio?.close();
  h = twilio = undefined;
});

/** A bot with one on-call number whose Twilio keeps answering 500, on a clock the test moves. */
async function startFailingSms(clock: () => number, advance: (ms: number) => void): Promise<{ bot: Harness['bot']; id: string; smsRow: () => Promise<OutboxRecord | undefined> }> {
  twilio = await startTwilioFake();
  twilio.failNext(10_000, { kind: 'status', status: 500 });
  const config = testConfig((doc) => {
    doc.workflows[0]!.sms_to = ['+15555550100'];
    return doc;
  });
  h = await startHarness({
    config,
    clock,
    outbox: { paceMs: 0 },
    settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15555550000', apiUrl: twilio.url } },
  });
  const bot = h.bot;
  const res = await postHandoff(bot.url, sampleHandoff());
  expect(res.json.owner_notified).toContain('sms');
  const id = res.json.handoff_id as string;
  const smsRow = async () => (await bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'sms.send');
  // Time moves on while waiting: the first attempt may wait a moment for the card's permalink to link to.
  await until(
    async () => {
      advance(50);
      return ((await smsRow())?.attempts ?? 0) >= 1;
    },
    5_000,
    'the first SMS attempt',
  );
  return { bot, id, smsRow };
}

/** Skips the backoff and waits for one more failed attempt. */
async function nextAttempt(bot: Harness['bot'], row: () => Promise<{ attempts: number } | undefined>): Promise<void> {
  const before = (await row())!.attempts;
  makePendingDue(h!);
  await until(async () => (await row())!.attempts > before, 5_000, `attempt ${before + 1}`);
}

describe('an on-call SMS through a Twilio outage', () => {
  it('is still being retried after 20 retryable failures within 24 h', async () => {
    let now = Date.now();
    const { bot, smsRow } = await startFailingSms(() => now, (ms) => (now += ms));
    while ((await smsRow())!.attempts < 21) {
      now += 10 * 60_000;
      await nextAttempt(bot, smsRow);
    }
    expect((await smsRow())?.status).toBe('pending');
    expect((await smsRow())?.lastError).toBe('twilio_20500');
    expect(twilio!.requests.filter((r) => r.httpStatus === 500).length).toBeGreaterThanOrEqual(21);
  });

  it('is given up once 24 h have passed since its first attempt', async () => {
    let now = Date.now();
    const { bot, smsRow } = await startFailingSms(() => now, (ms) => (now += ms));
    now += 23 * HOUR;
    await nextAttempt(bot, smsRow);
    expect((await smsRow())?.status).toBe('pending');

    now += 2 * HOUR;
    makePendingDue(h!);
    await until(async () => (await smsRow())?.status === 'failed', 5_000, 'giving up');
    expect((await smsRow())?.lastError).toBe('gave_up_after_24h:twilio_20500');
  });

  it('is given up with code resolved once the handoff is resolved, and Twilio is not called again', async () => {
    let now = Date.now();
    const { bot, id, smsRow } = await startFailingSms(() => now, (ms) => (now += ms));
    await nextAttempt(bot, smsRow);
    const alice = { kind: 'user' as const, userId: 'U0ALICE01' };
    expect((await bot.perform({ handoffId: id, action: 'claim', actor: alice })).ok).toBe(true);
    expect((await bot.perform({ handoffId: id, action: 'resolve', actor: alice })).ok).toBe(true);
    const calls = twilio!.requests.length;

    now += 60_000;
    makePendingDue(h!);
    await until(async () => (await smsRow())?.status === 'failed', 5_000, 'giving up');
    expect((await smsRow())?.lastError).toBe('resolved');
    expect(twilio!.requests.length).toBe(calls);
  });
});
