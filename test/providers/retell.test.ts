import { randomUUID } from 'node:crypto';
import Retell from 'retell-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retellCallEvent, retellFunctionCall, signRetell } from '../../sandbox/fakes/voice-platforms.js';
import type { Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { awaitCard, awaitCardText, cardsFor, expectJson, send, startProviderHarness, stored, VOICE_SECRETS } from '../support/providers.js';

let h: Harness;
beforeAll(async () => {
  h = await startProviderHarness();
});
afterAll(async () => {
  await h.close();
});

const KEY = VOICE_SECRETS.retellApiKey;
const callId = () => `retell_call_${randomUUID()}`;
const ARGS = { handoff_reason: 'appointment_change', patient_name: 'Rita Retellson' };
const body = (id: string, args: Record<string, unknown> = ARGS) => JSON.stringify(retellFunctionCall({ callId: id, callerId: '+15555550171', args }));

describe('Retell: POST /v1/providers/retell/:workflow_id', () => {
  it('a custom function call signed by retell-sdk itself creates one handoff and card, answered as JSON', async () => {
    const id = callId();
    const raw = body(id);
    const signature = await Retell.sign(raw, KEY);
    const res = await send(h, 'retell', { body: raw, headers: { 'content-type': 'application/json', 'x-retell-signature': signature } });
    expect(res.status).toBe(200);
    const json = expectJson(res);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'retell', id))!;
    expect(json).toEqual({ handoff_id: handoffId, status: 'open', severity: 'low', caller_message: 'I have passed this to the front desk.' });
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callerId: '+15555550171', structuredFields: { patient_name: 'Rita Retellson' } });
    await awaitCardText(h, handoffId, 'Rita Retellson');
    expect(cardsFor(h, handoffId)).toBe(1);
  });

  it('the sandbox signer agrees with retell-sdk\'s verifier', async () => {
    const raw = body(callId());
    const signed = signRetell(raw, KEY);
    expect(await Retell.verify(raw, KEY, signed.headers['x-retell-signature']!)).toBe(true);
    expect(await Retell.verify(raw, 'other-key', signed.headers['x-retell-signature']!)).toBe(false);
  });

  it('refuses every signature failure with 401 and stores nothing', async () => {
    const raw = body(callId());
    const good = signRetell(raw, KEY);
    const cases = {
      tampered: { ...good, body: raw.replace('Rita', 'Rina') },
      wrongKey: signRetell(raw, 'key_someone_else'),
      stale: signRetell(raw, KEY, Date.now() - 6 * 60_000),
      future: signRetell(raw, KEY, Date.now() + 6 * 60_000),
      missingHeader: { body: raw, headers: { 'content-type': 'application/json' } },
      malformed: { body: raw, headers: { 'content-type': 'application/json', 'x-retell-signature': 'sha256=abc' } },
    };
    const before = stored(h);
    for (const [name, req] of Object.entries(cases)) {
      const res = await send(h, 'retell', req);
      expect(res.status, name).toBe(401);
      expect(expectJson(res).error, name).toBe('invalid_signature');
    }
    expect(stored(h)).toEqual(before);
  });

  it('answers a retry the same and stores nothing more', async () => {
    const raw = body(callId());
    const first = await send(h, 'retell', signRetell(raw, KEY));
    const before = stored(h);
    const again = await send(h, 'retell', signRetell(raw, KEY));
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(stored(h)).toEqual(before);
  });

  it('a later request from the same call (wait_for_person too) updates the one handoff and edits its card', async () => {
    const id = callId();
    const first = expectJson(await send(h, 'retell', signRetell(body(id), KEY)));
    await awaitCard(h, first.handoff_id as string);
    const updates = h.slack.calls.count('chat.update');
    const second = expectJson(await send(h, 'retell', signRetell(body(id, { handoff_reason: 'emergency_or_sensitive_request', visits: 4, wait_for_person: false }), KEY)));
    expect(second).toMatchObject({ handoff_id: first.handoff_id, severity: 'urgent', caller_message: 'I am marking this for a person now.' });
    const row = (await h.bot.store.handoffs.get(first.handoff_id as string))!;
    expect(row.structuredFields).toEqual({ patient_name: 'Rita Retellson', visits: 4 });
    await until(() => h.slack.calls.count('chat.update') > updates, 10_000, 'a card edit');
    await awaitCardText(h, row.id, 'URGENT');
    expect(cardsFor(h, row.id)).toBe(1);
  });

  it('accepts invalid fields as incomplete and lists them on the card', async () => {
    const res = expectJson(await send(h, 'retell', signRetell(body(callId(), { patient_name: 42, date_of_birth: '1990-02-31', colour: 'blue' }), KEY)));
    const row = (await h.bot.store.handoffs.get(res.handoff_id as string))!;
    expect(row.intakeIssues!.map((i) => i.path).sort()).toEqual(['colour', 'date_of_birth', 'patient_name']);
    expect(row.structuredFields).toEqual({});
    const text = await awaitCardText(h, row.id, 'Incomplete request');
    expect(text).toContain('colour: unknown field');
    expect(text).not.toContain('1990-02-31');
  });

  it('call_ended then call_analyzed complete the call and keep the summary; a claimed call is not a hang-up', async () => {
    const id = callId();
    const res = expectJson(await send(h, 'retell', signRetell(body(id), KEY)));
    const handoffId = res.handoff_id as string;
    const { channel, ts } = await awaitCard(h, handoffId);
    await h.slack.sendBlockAction({ user: 'U0RACE0001', channel, messageTs: ts, actionId: 'handoff_claim', value: handoffId });
    await until(async () => (await h.bot.store.handoffs.get(handoffId))!.status === 'claimed');
    expect((await send(h, 'retell', signRetell(JSON.stringify(retellCallEvent('call_ended', id)), KEY))).status).toBe(200);
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callStatus: 'completed', callerHungUpAt: null });
    const analyzed = await send(h, 'retell', signRetell(JSON.stringify(retellCallEvent('call_analyzed', id, 'Rita moved her visit.')), KEY));
    expect(expectJson(analyzed)).toEqual({});
    expect((await h.bot.store.handoffs.get(handoffId))!.callSummary).toBe('Rita moved her visit.');
    await awaitCardText(h, handoffId, 'Completed');
    expect(cardText()).not.toContain('Caller hung up');
    function cardText() {
      return JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
    }
  });

  it('an unclaimed call that ends shows "caller hung up: call back"; call_started is answered {} and stores nothing', async () => {
    const id = callId();
    const res = expectJson(await send(h, 'retell', signRetell(body(id), KEY)));
    const before = stored(h);
    expect(expectJson(await send(h, 'retell', signRetell(JSON.stringify(retellCallEvent('call_started', id)), KEY)))).toEqual({});
    expect(stored(h)).toEqual(before);
    await send(h, 'retell', signRetell(JSON.stringify(retellCallEvent('call_ended', id)), KEY));
    await awaitCardText(h, res.handoff_id as string, 'Caller hung up: call back');
  });

  it('refuses a body that is not a Retell request with 400', async () => {
    const before = stored(h);
    expect((await send(h, 'retell', signRetell(JSON.stringify({ name: 'x', args: {} }), KEY))).status).toBe(400);
    expect((await send(h, 'retell', signRetell('[1,2]', KEY))).status).toBe(400);
    expect(stored(h)).toEqual(before);
  });
});
