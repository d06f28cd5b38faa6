import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { providerPath, signVapi, vapiTransferRequest } from '../../sandbox/fakes/voice-platforms.js';
import { issuesOf } from '../support/config-issues.js';
import { postAndAwaitCard } from '../support/cards.js';
import { startHarness, tempDir, type Harness } from '../support/harness.js';
import { awaitCard, startProviderHarness, VOICE_SECRETS } from '../support/providers.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { rmSync } from 'node:fs';

const FROM = '+15555550000';
const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };
const BOB = { id: 'U0BOB0001', phone: '+447700900123' }; // a UK phone: +44 is allowed by default, not on the clinic's own list

let h: Harness;
let twilio: TwilioFake;

beforeAll(async () => {
  twilio = await startTwilioFake();
  const config = testConfig((doc) => {
    const [clinic, billing] = doc.workflows;
    return {
      ...doc,
      people: { [ALICE.id]: ALICE.phone, [BOB.id]: BOB.phone },
      workflows: [
        { ...clinic, dial_country_codes: [1], connect: { wait: '90s' } },
        { ...billing, dial_country_codes: ['1', '47'] },
      ],
    };
  });
  h = await startProviderHarness({ config, settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM, apiUrl: twilio.url } } });
});
afterAll(async () => {
  await h.close();
  await twilio.close();
});

const cardJson = (channel: string, ts: string) => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);

async function card(callerId: string, workflow: 'clinic-after-hours' | 'billing' = 'clinic-after-hours') {
  const body = workflow === 'billing' ? { workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-1' } } : { handoff_reason: 'appointment_change' };
  return postAndAwaitCard(h, sampleHandoff({ caller_id: callerId, ...body }));
}

describe('Call back dials only allow-listed countries and never premium or international-network ranges', () => {
  it.each([
    ['+19005550100', 'premium-rate or shared-cost'], // NANP 900
    ['+12125559761', null], // a +1 number whose exchange is not 976: dialable
    ['+12129765555', 'premium-rate or shared-cost'], // NANP 976 exchange
    ['+882123456789', 'international-network or satellite'],
    ['+8810000000', 'international-network or satellite'],
    ['+2693123456', 'country code +269 are not allowed'], // Comoros: not on the list
    ['+18765550100', 'country code +1876 are not allowed'], // Jamaica shares +1 but is not the US: not on the list
    ['+18095550100', 'country code +1809 are not allowed'], // Dominican Republic, likewise
    ['+4790055555', 'country code +47 are not allowed'], // Norway: not on the clinic's list
  ])('%s on the clinic line: %s', async (callerId, why) => {
    const { id, channel, ts } = await card(callerId);
    const json = cardJson(channel, ts);
    if (why === null) {
      expect(json).toContain('"handoff_call_back"');
      return;
    }
    expect(json).not.toContain('"handoff_call_back"');
    expect(json).toContain(`Call back is off for this caller`);
    expect(json).toContain(why);
    // A click all the same (a stale card, a crafted request) is refused with the reason and rings nobody.
    const before = twilio.calls.length;
    const result = await h.bot.perform({ handoffId: id, action: 'call_back', actor: { kind: 'user', userId: ALICE.id } });
    expect(result).toMatchObject({ ok: false, refusal: 'not_dialable' });
    await h.slack.sendBlockAction({ user: ALICE.id, channel, messageTs: ts, actionId: 'handoff_call_back', value: id });
    await until(() => h.slack.ephemerals(ALICE.id).some((e) => JSON.stringify(e).includes(id) && JSON.stringify(e).includes(why)), 5_000, 'the refusal');
    expect(twilio.calls.length).toBe(before);
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('open');
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received']);
  });

  it('a workflow\'s own list allows its countries, and the premium ranges stay refused inside them', async () => {
    const norway = await card('+4791234567', 'billing');
    expect(cardJson(norway.channel, norway.ts)).toContain('"handoff_call_back"');
    const premium = await card('+4782012345', 'billing');
    expect(cardJson(premium.channel, premium.ts)).toContain('premium-rate or shared-cost');
    const answer = await h.slack.sendBlockAction({ user: ALICE.id, channel: norway.channel, messageTs: norway.ts, actionId: 'handoff_call_back', value: norway.id });
    expect(answer.status).toBe(200);
    const call = await until(() => twilio.calls.find((c) => c.dial?.number === '+4791234567'), 10_000, 'the call to Norway');
    expect(call.to).toBe(ALICE.phone);
  });

  it('a transfer answer never puts a caller through to a phone outside the workflow\'s list', async () => {
    const callId = `call-${randomUUID()}`;
    const req = signVapi(JSON.stringify(vapiTransferRequest(callId, '+14155550987')), VOICE_SECRETS.vapiSecret);
    const held = fetch(`${h.bot.url}${providerPath('vapi', 'clinic-after-hours')}`, { method: 'POST', headers: req.headers, body: req.body }).then(
      async (res) => (await res.json()) as Record<string, unknown>,
    );
    const handoffId = await until(() => h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId), 10_000, 'the handoff');
    await until(() => h.bot.connect.waiting > 0, 10_000, 'the held request');
    const { channel, ts } = await awaitCard(h, handoffId);
    await h.slack.sendBlockAction({ user: BOB.id, channel, messageTs: ts, actionId: 'handoff_claim', value: handoffId });
    const answer = await held;
    expect(answer.destination).toBeUndefined();
    expect(typeof answer.error).toBe('string');
    expect(JSON.stringify(answer)).not.toContain(BOB.phone);
  });
});

describe('the outbox decides again when it places the call', () => {
  it('a Call back queued before the config stopped allowing the caller\'s country rings nobody', async () => {
    const dir = tempDir();
    const twilioSettings = { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM, apiUrl: twilio.url } };
    const people = { [ALICE.id]: ALICE.phone };
    // Queued while +1 was allowed, with no worker running to place it.
    const first = await startHarness({ dir, startWorkers: false, settings: twilioSettings, config: testConfig((doc) => ({ ...doc, people })) });
    let id: string;
    try {
      const res = await postHandoff(first.bot.url, sampleHandoff({ caller_id: '+14155550123', handoff_reason: 'appointment_change' }));
      expect(res.status).toBe(202);
      id = res.json.handoff_id as string;
      expect(await first.bot.perform({ handoffId: id, action: 'call_back', actor: { kind: 'user', userId: ALICE.id } })).toMatchObject({ ok: true });
    } finally {
      await first.close();
    }
    // The clinic line now dials only +44: the queued call gives up instead of dialling +1.
    const before = twilio.calls.length;
    const second = await startHarness({
      dir,
      outbox: { paceMs: 0 },
      settings: twilioSettings,
      config: testConfig((doc) => ({ ...doc, people, workflows: doc.workflows.map((w, i) => (i === 0 ? { ...w, dial_country_codes: ['44'] } : w)) })),
    });
    try {
      const row = await until(async () => (await second.bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'voice.call_back' && o.status !== 'pending'), 10_000, 'the call back settled');
      expect(row).toMatchObject({ status: 'failed', lastError: 'caller_not_dialable' });
      expect(twilio.calls.length).toBe(before);
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dial config errors name the YAML path', () => {
  const base = `
workflows:
  - id: w
    name: W
    owner_channel: C0CLINIC01
    escalation_channel: C0ONCALL01
`;
  it('refuses a premium or international-network phone under people, a code that is not one, and a person outside the list', () => {
    expect(issuesOf(`${base}people:\n  U0ALICE01: "+19005550100"\n  U0BOB0001: "+882123456789"\n`)).toEqual([
      'people.U0ALICE01: is in a premium-rate, shared-cost or international-network range, which the bot never dials',
      'people.U0BOB0001: is in a premium-rate, shared-cost or international-network range, which the bot never dials',
    ]);
    expect(issuesOf(`${base}    dial_country_codes: [1, "4", "+44"]\n`)).toEqual([
      'workflows[0].dial_country_codes[1]: must be a country calling code such as 1, 44, 353 or 1876 (digits, no +)',
      'workflows[0].dial_country_codes[2]: must be a country calling code such as 1, 44, 353 or 1876 (digits, no +)',
    ]);
    expect(issuesOf(`${base}dial_country_codes: []\n`)).toEqual(['dial_country_codes: lists at least one country calling code (leave the key out for the default)']);
    expect(issuesOf(`${base}dial_country_codes: [1]\npeople:\n  U0ALICE01: "+447700900123"\n`)).toEqual(['people.U0ALICE01: is in country code +44, which dial_country_codes does not list']);
    expect(issuesOf(`${base}dial_country_codes: [1, 44, 353]\npeople:\n  U0ALICE01: "+447700900123"\n`)).toEqual([]);
    expect(issuesOf(`${base}dial_country_codes: [1, 1876]\npeople:\n  U0ALICE01: "+18765550101"\n`)).toEqual([]);
    expect(issuesOf(`${base}dial_country_codes: [1]\npeople:\n  U0ALICE01: "+18765550101"\n`)).toEqual(['people.U0ALICE01: is in country code +1876, which dial_country_codes does not list']);
    expect(issuesOf(`${base}dial_country_codes: [1212]\n`)).toEqual(['dial_country_codes[0]: must be a country calling code such as 1, 44, 353 or 1876 (digits, no +)']);
  });
});
