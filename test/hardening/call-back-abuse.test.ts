import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { postAndAwaitCard } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';
import { manualClock } from '../support/manual-clock.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

const FROM = '+15555550000';
const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };
const BOB = { id: 'U0BOB0001', phone: '+15555550102' };
const CAROL = { id: 'U0CAROL01', phone: '+15555550103' };

let h: Harness;
let twilio: TwilioFake;
const time = manualClock();

beforeAll(async () => {
  twilio = await startTwilioFake();
  const config = testConfig((doc) => ({ ...doc, people: { [ALICE.id]: ALICE.phone, [BOB.id]: BOB.phone, [CAROL.id]: CAROL.phone } }));
  h = await startHarness({
    config,
    clock: time.clock,
    outbox: { paceMs: 0 },
    callBackRateLimit: { capacity: 3, refillMs: 60 * 60_000 },
    settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM, apiUrl: twilio.url } },
  });
});
afterAll(async () => {
  await h.close();
  await twilio.close();
});

const card = () => postAndAwaitCard(h, sampleHandoff({ caller_id: '+14155550987', handoff_reason: 'appointment_change' }));
const click = (user: string, c: { id: string; channel: string; ts: string }) =>
  h.slack.sendBlockAction({ user, channel: c.channel, messageTs: c.ts, actionId: 'handoff_call_back', value: c.id });
const callsFor = (id: string) => twilio.calls.filter((c) => c.twiml.includes(id.slice(-4).toUpperCase().split('').join(' ')));
const startedEvents = async (id: string) => (await h.bot.store.events.forHandoff(id)).filter((e) => e.type === 'handoff.call_back_started').length;
const told = (user: string, text: string) => h.slack.ephemerals(user).filter((e) => JSON.stringify(e).includes(text)).length;
const callBackRows = async (id: string) => (await h.bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'voice.call_back');

describe('Call back cannot be abused to ring many times', () => {
  it('20 simultaneous clicks by one person ring once; the others hear "already calling you (ending 0101)"', async () => {
    const c = await card();
    const before = told(ALICE.id, 'Already calling you (ending 0101)');
    const answers = await Promise.all(Array.from({ length: 20 }, () => click(ALICE.id, c)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await until(() => told(ALICE.id, 'Already calling you (ending 0101)') - before === 19, 10_000, '19 refusals');
    await until(async () => (await callBackRows(c.id)).every((o) => o.status === 'done'), 10_000, 'the call placed');
    expect(callsFor(c.id)).toHaveLength(1);
    expect(await startedEvents(c.id)).toBe(1);
    expect(await callBackRows(c.id)).toHaveLength(1);
  });

  it('clicks after the call went out ring nobody for 2 minutes; after that a click rings again, once', async () => {
    const c = await card();
    await click(ALICE.id, c);
    await until(async () => (await callBackRows(c.id)).some((o) => o.status === 'done'), 10_000, 'the first call placed');
    for (let i = 0; i < 10; i++) {
      time.advance(1_200);
      await click(ALICE.id, c);
    }
    // Someone else who claims nothing cannot ring either: the handoff is Alice's and a call is under way.
    expect(await h.bot.perform({ handoffId: c.id, action: 'call_back', actor: { kind: 'user', userId: BOB.id } })).toMatchObject({ ok: false, refusal: 'call_back_pending', callingUser: ALICE.id });
    expect(callsFor(c.id)).toHaveLength(1);
    expect(await startedEvents(c.id)).toBe(1);
    time.advance(2 * 60_000);
    await click(ALICE.id, c);
    await until(() => callsFor(c.id).length === 2, 10_000, 'the second call');
    expect(await startedEvents(c.id)).toBe(2);
  });

  it('a person is rate-limited across handoffs: past the budget a click on another handoff rings nobody and says why', async () => {
    // The budget of 3 is spent by the three calls above (the refused clicks cost nothing).
    expect(twilio.calls.length).toBe(3);
    const fourth = await card();
    const before = twilio.calls.length;
    await click(ALICE.id, fourth);
    await until(() => told(ALICE.id, 'many call backs') > 0, 5_000, 'the rate-limit refusal');
    expect(twilio.calls.length).toBe(before);
    expect(await startedEvents(fourth.id)).toBe(0);
    expect((await h.bot.store.handoffs.get(fourth.id))!.status).toBe('open');
    // Bob's budget is his own.
    await click(BOB.id, fourth);
    await until(() => callsFor(fourth.id).length === 1, 10_000, 'Bob\'s call');
    expect(callsFor(fourth.id)[0]!.to).toBe(BOB.phone);
  });

  it('simultaneous clicks on many handoffs by one person ring no more than the budget', async () => {
    const cards = [];
    for (let i = 0; i < 6; i++) cards.push(await card());
    // Slack clicks and desktop requests reach perform side by side; on PostgreSQL their awaits interleave.
    const results = await Promise.all(cards.map((c) => h.bot.perform({ handoffId: c.id, action: 'call_back', actor: { kind: 'user', userId: CAROL.id } })));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.refusal === 'call_back_rate_limited')).toHaveLength(3);
    const started = await Promise.all(cards.map((c) => startedEvents(c.id)));
    expect(started.reduce((a, b) => a + b, 0)).toBe(3);
    await until(() => twilio.calls.filter((c) => c.to === CAROL.phone).length === 3, 10_000, 'Carol\'s three calls');
  });
});
