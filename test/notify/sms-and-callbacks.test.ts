import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { makePendingDue, pendingRows } from '../support/outbox.js';

const ON_CALL = ['+15555550100', '+15555550101'];
const CALLER = {
  caller_id: '+14155550987',
  structured_fields: { patient_name: 'Zebulon Quartermaine', symptoms: 'xylophonic hiccups', callback_number: '+14155550911' },
};
const CALLER_STRINGS = ['+14155550987', '4155550987', 'Zebulon', 'Quartermaine', 'xylophonic', '+14155550911'];

let n: Harness | undefined;
let twilio: TwilioFake | undefined;
let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await n?.close();
  await twilio?.close();
  await receiver?.close();
  n = twilio = receiver = undefined;
});

async function start(): Promise<Harness> {
  twilio = await startTwilioFake();
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
  const config = testConfig((doc) => {
    doc.workflows[0]!.sms_to = [...ON_CALL];
    return doc;
  });
  n = await startHarness({
    config,
    outbox: { paceMs: 0 },
    settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15555550000', apiUrl: twilio.url } },
  });
  return n;
}

/** Waits for `done`, skipping each retry's backoff (seconds to an hour) instead of sleeping through it. */
async function deliverUntil(bot: Harness['bot'], done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await until(
    async () => {
      if (await done()) return true;
      makePendingDue(n!);
      return false;
    },
    10_000,
    what,
  );
}

describe('on-call SMS', () => {
  it('sends exactly one SMS per on-call number through Twilio 500s and a 429, with no caller data in the text', async () => {
    const { bot } = await start();
    twilio!.failNext(2, { kind: 'status', status: 500 });
    twilio!.failNext(1, { kind: 'status', status: 429 });

    const res = await postHandoff(bot.url, sampleHandoff({ ...CALLER, webhook_url: `${receiver!.url}/cb` }));
    expect(res.status).toBe(202);
    expect(res.json.owner_notified).toContain('sms');
    const id = res.json.handoff_id as string;

    await deliverUntil(bot, async () => (await bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'sms.send').every((o) => o.status === 'done'), 'both SMS sent');
    expect(twilio!.requests.filter((r) => r.httpStatus === 500)).toHaveLength(2);
    expect(twilio!.requests.filter((r) => r.httpStatus === 429)).toHaveLength(1);
    expect(twilio!.messages.map((m) => m.to).sort()).toEqual([...ON_CALL].sort());
    for (const m of twilio!.messages) {
      expect(m.body).toContain(id);
      for (const s of CALLER_STRINGS) expect(m.body).not.toContain(s);
    }
    // Nothing left to retry: a late timer cannot send a second copy.
    makePendingDue(n!);
    await bot.outbox.whenIdle();
    expect(twilio!.messages).toHaveLength(2);
  });
});

describe('status callbacks', () => {
  it('delivers claimed, escalated and resolved exactly once each through 500s and a 429, signed, with a stable webhook-id', async () => {
    const { bot } = await start();
    receiver!.failNext(2, { kind: 'status', status: 500 });
    receiver!.failNext(1, { kind: 'status', status: 429 });

    const res = await postHandoff(bot.url, sampleHandoff({ ...CALLER, webhook_url: `${receiver!.url}/hooks/handoff?token=abc` }));
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    await until(async () => (await bot.store.handoffs.get(id))?.slackTs, 5_000, 'card');
    const alice = { kind: 'user' as const, userId: 'U0ALICE01' };
    expect((await bot.perform({ handoffId: id, action: 'claim', actor: alice })).ok).toBe(true);
    expect((await bot.perform({ handoffId: id, action: 'escalate', actor: alice })).ok).toBe(true);
    expect((await bot.perform({ handoffId: id, action: 'resolve', actor: alice })).ok).toBe(true);

    await deliverUntil(bot, () => receiver!.received.filter((r) => r.answeredStatus === 200).length >= 3 && pendingRows(n!) === 0, 'three callbacks delivered');

    const ok = receiver!.received.filter((r) => r.answeredStatus === 200);
    expect(receiver!.received.filter((r) => r.answeredStatus !== 200)).toHaveLength(3);
    const verifier = new Webhook(CALLBACK_SECRET);
    const delivered = ok.map((r) => verifier.verify(r.rawBody, r.headers as Record<string, string>) as { type: string; data: { handoff_id: string } });
    expect(delivered.map((d) => d.type)).toEqual(['handoff.claimed', 'handoff.escalated', 'handoff.resolved']);
    expect(delivered.every((d) => d.data.handoff_id === id)).toBe(true);
    expect(ok.every((r) => r.path === '/hooks/handoff?token=abc')).toBe(true);

    // Retries of one event carry its webhook-id; different events have different ids.
    const idsByType = new Map<string, Set<string>>();
    for (const r of receiver!.received) {
      const type = (JSON.parse(r.rawBody) as { type: string }).type;
      idsByType.set(type, (idsByType.get(type) ?? new Set()).add(String(r.headers['webhook-id'])));
    }
    expect([...idsByType.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set([...idsByType.values()].flatMap((s) => [...s])).size).toBe(3);
    expect(receiver!.received.filter((r) => (JSON.parse(r.rawBody) as { type: string }).type === 'handoff.claimed')).toHaveLength(4);

    for (const r of receiver!.received) for (const s of CALLER_STRINGS) expect(r.rawBody).not.toContain(s);
    for (const s of CALLER_STRINGS) expect(n!.logs.text).not.toContain(s);
  });
});
