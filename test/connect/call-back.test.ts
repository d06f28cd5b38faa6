import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { startTwilioFake, type TwilioFake, type TwilioFault } from '../../sandbox/fakes/twilio-fake.js';
import { makePendingDue } from '../support/outbox.js';
import { postAndAwaitCard } from '../support/cards.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

const FROM = '+15555550000';
const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };
const CAROL = 'U0CAROL01'; // not under `people`
const CALLER = '+14155550987';
const CALLER_STRINGS = ['+14155550987', '4155550987', 'Zebulon'];

let h: Harness;
let twilio: TwilioFake;
let receiver: CallbackReceiver;

beforeAll(async () => {
  twilio = await startTwilioFake();
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
  const config = testConfig((doc) => ({ ...doc, people: { [ALICE.id]: ALICE.phone } }));
  h = await startHarness({
    config,
    outbox: { paceMs: 0 },
    settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM, apiUrl: twilio.url } },
  });
});
afterAll(async () => {
  await h.close();
  await twilio.close();
  await receiver.close();
});

function newCard(overrides: Record<string, unknown> = {}) {
  return postAndAwaitCard(
    h,
    sampleHandoff({
      caller_id: CALLER,
      structured_fields: { patient_name: 'Zebulon Quartermaine' },
      handoff_reason: 'appointment_change',
      webhook_url: `${receiver.url}/cb`,
      ...overrides,
    }),
  );
}

function cardJson(channel: string, ts: string): string {
  return JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
}

describe('Call back (docs/contract/reaching-the-caller.md#call-back) against the Twilio fake', () => {
  it('rings the clicker with TwiML that names the handoff and dials the caller from TWILIO_FROM, and claims the handoff', async () => {
    const { id, channel, ts } = await newCard();
    expect(cardJson(channel, ts)).toContain('"handoff_call_back"');

    const answer = await h.slack.sendBlockAction({ user: ALICE.id, channel, messageTs: ts, actionId: 'handoff_call_back', value: id });
    expect(answer.status).toBe(200);
    const call = await until(() => twilio.calls.find((c) => c.twiml.includes(id.slice(-4).toUpperCase().split('').join(' '))), 10_000, 'the Twilio call');
    expect(call.to).toBe(ALICE.phone);
    expect(call.from).toBe(FROM);
    expect(call.dial).toEqual({ number: CALLER, callerId: FROM });
    expect(call.says[0]).toContain('Clinic after-hours line');
    expect(call.twiml).not.toContain('Zebulon');

    const row = (await h.bot.store.handoffs.get(id))!;
    expect(row).toMatchObject({ status: 'claimed', claimedBy: ALICE.id });
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received', 'handoff.claimed', 'handoff.call_back_started']);
    await until(() => h.slack.ephemerals(ALICE.id).some((e) => JSON.stringify(e).includes('Calling your phone (ending 0101)')), 5_000, 'the ephemeral');
    await until(() => cardJson(channel, ts).includes('handoff_release'), 5_000, 'the card update');

    const types = await until(() => {
      const mine = receiver.received.filter((r) => r.rawBody.includes(id)).map((r) => (JSON.parse(r.rawBody) as { type: string }).type);
      return mine.includes('handoff.call_back_started') ? mine : null;
    }, 10_000, 'the call_back_started callback');
    expect(types).toEqual(['handoff.claimed', 'handoff.call_back_started']);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect((await h.bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'voice.call_back')).toEqual([expect.objectContaining({ status: 'done', attempts: 1 })]);
  });

  it('rings nobody for a person with no phone under people, tells them how to add one, and changes nothing', async () => {
    const { id, channel, ts } = await newCard();
    const callsBefore = twilio.calls.length;
    await h.slack.sendBlockAction({ user: CAROL, channel, messageTs: ts, actionId: 'handoff_call_back', value: id });
    const told = await until(() => h.slack.ephemerals(CAROL).find((e) => JSON.stringify(e).includes('people:')), 5_000, 'the ephemeral');
    expect(JSON.stringify(told)).toContain(`${CAROL}: \\"+1…\\"`);
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('open');
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received']);
    expect((await h.bot.store.outbox.forHandoff(id)).some((o) => o.kind === 'voice.call_back')).toBe(false);
    expect(twilio.calls.length).toBe(callsBefore);
  });

  it('leaves someone else\'s claim alone: the second person is told who has it, and no call is placed', async () => {
    const { id, channel, ts } = await newCard();
    await h.slack.sendBlockAction({ user: 'U0BOB0001', channel, messageTs: ts, actionId: 'handoff_claim', value: id });
    const callsBefore = twilio.calls.length;
    await h.slack.sendBlockAction({ user: ALICE.id, channel, messageTs: ts, actionId: 'handoff_call_back', value: id });
    await until(() => h.slack.ephemerals(ALICE.id).some((e) => JSON.stringify(e).includes('already claimed by <@U0BOB0001>')), 5_000, 'the refusal');
    expect((await h.bot.store.handoffs.get(id))!.claimedBy).toBe('U0BOB0001');
    expect(twilio.calls.length).toBe(callsBefore);
  });

  it('offers no Call back for a caller id that is not a phone number', async () => {
    const { channel, ts } = await newCard({ caller_id: 'web-visitor-42' });
    expect(cardJson(channel, ts)).not.toContain('handoff_call_back');
    expect(cardJson(channel, ts)).toContain('handoff_claim');
  });

  async function callBackSettles(fault: TwilioFault): Promise<{ placed: number; attempts: number }> {
    const { id, channel, ts } = await newCard();
    const callsBefore = twilio.calls.length;
    twilio.failNext(1, fault);
    await h.slack.sendBlockAction({ user: ALICE.id, channel, messageTs: ts, actionId: 'handoff_call_back', value: id });
    const row = await until(async () => {
      const r = (await h.bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'voice.call_back');
      if (r?.status === 'pending') makePendingDue(h);
      return r?.status === 'done' ? r : null;
    }, 10_000, 'the call back row');
    return { placed: twilio.calls.length - callsBefore, attempts: row.attempts };
  }

  it('places the call on the retry after Twilio answered 500 (nothing was placed)', async () => {
    expect(await callBackSettles({ kind: 'status', status: 500 })).toEqual({ placed: 1, attempts: 2 });
  });

  it('rings once when the answer to a placed call is lost: the retry finds the call in the Calls list', async () => {
    expect(await callBackSettles({ kind: 'lost_answer' })).toEqual({ placed: 1, attempts: 2 });
  });

  it('keeps the caller id out of every log line', () => {
    for (const secret of CALLER_STRINGS) expect(h.logs.text).not.toContain(secret);
    expect(h.logs.text).not.toContain(ALICE.phone);
  });
});
