import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPath, retellFunctionCall, signRetell, signVapi, vapiTransferRequest } from '../../sandbox/fakes/voice-platforms.js';
import { pairedToken } from '../support/desktop-api.js';
import type { Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { awaitCard, awaitCardText, send, startProviderHarness, VOICE_SECRETS } from '../support/providers.js';

const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };
const BOB = { id: 'U0BOB0001', phone: '+15555550102' };
const CAROL = 'U0CAROL01'; // no phone under `people`
const FALLBACK = 'Everyone is busy. A person will call you back shortly.';
const TRANSFER = 'Connecting you to a nurse now.';
const CALLER = '+14155550987';

let h: Harness;
beforeAll(async () => {
  const config = testConfig((doc) => {
    // The clinic waits long enough for a test to click; billing gives up fast, for the fallback.
    const [clinic, billing] = doc.workflows;
    return {
      ...doc,
      people: { [ALICE.id]: ALICE.phone, [BOB.id]: BOB.phone },
      workflows: [
        { ...clinic, connect: { wait: '90s', fallback_message: FALLBACK, transfer_message: TRANSFER } },
        { ...billing, connect: { wait: '300ms', fallback_message: FALLBACK } },
      ],
    };
  });
  h = await startProviderHarness({ config });
});
afterAll(async () => {
  await h.close();
});

const callId = () => `call-${randomUUID()}`;

function vapiTransfer(id: string, workflow = 'clinic-after-hours', signal?: AbortSignal) {
  const req = signVapi(JSON.stringify(vapiTransferRequest(id, CALLER)), VOICE_SECRETS.vapiSecret);
  return fetch(`${h.bot.url}${providerPath('vapi', workflow)}`, { method: 'POST', headers: req.headers, body: req.body, signal }).then(async (res) => ({
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
  }));
}

function retellWaiting(id: string, workflow = 'clinic-after-hours') {
  const body = JSON.stringify(retellFunctionCall({ callId: id, callerId: CALLER, args: { handoff_reason: 'appointment_change', patient_name: 'Rita Retell', wait_for_person: true } }));
  return send(h, 'retell', signRetell(body, VOICE_SECRETS.retellApiKey), workflow).then((res) => ({ status: res.status, json: JSON.parse(res.text) as Record<string, unknown> }));
}

function handoffOf(platform: 'vapi' | 'retell', id: string, workflow = 'clinic-after-hours'): Promise<string | null> {
  return h.bot.store.providerCalls.find(workflow, platform, id);
}

/** Waits until the call's handoff exists and its card says the caller is on the line; returns where the card is. */
async function waitingCard(platform: 'vapi' | 'retell', id: string, timeoutMs = 10_000) {
  const handoffId = await until(() => handoffOf(platform, id), 10_000, 'the handoff of the call');
  await until(async () => (await cardJson(handoffId)).includes('The caller is on the line, waiting to be connected'), timeoutMs, 'the waiting card');
  return { handoffId, ...(await awaitCard(h, handoffId)) };
}

async function cardJson(handoffId: string): Promise<string> {
  const row = await h.bot.store.handoffs.get(handoffId);
  return row?.slackTs ? JSON.stringify(h.slack.message(row.slackChannel!, row.slackTs)?.blocks ?? []) : '';
}

function claim(user: string, card: { handoffId: string; channel: string; ts: string }) {
  return h.slack.sendBlockAction({ user, channel: card.channel, messageTs: card.ts, actionId: 'handoff_claim', value: card.handoffId });
}

describe('claim-to-connect (docs/contract/reaching-the-caller.md)', () => {
  it('Vapi: a transfer request for an unknown call creates its handoff, waits, and a Slack Claim answers it with the claimer\'s phone', async () => {
    const id = callId();
    const pending = vapiTransfer(id);
    const card = await waitingCard('vapi', id);
    expect(await h.bot.store.handoffs.get(card.handoffId)).toMatchObject({ status: 'open', callerId: CALLER, connect: { state: 'waiting' } });
    expect(await awaitCardText(h, card.handoffId, '<!date^')).toContain('since <!date^');

    await claim(ALICE.id, card);
    const answer = await pending;
    expect(answer).toEqual({ status: 200, json: { destination: { type: 'number', number: ALICE.phone, message: TRANSFER } } });
    expect(await h.bot.store.handoffs.get(card.handoffId)).toMatchObject({ status: 'claimed', claimedBy: ALICE.id, connect: { state: 'connected', user: ALICE.id, waitingUntil: null } });
    await awaitCardText(h, card.handoffId, 'The caller was transferred to <@U0ALICE01>');
    expect((await h.bot.store.events.forHandoff(card.handoffId)).map((e) => e.type)).toEqual(['handoff.received', 'handoff.caller_waiting', 'handoff.claimed', 'handoff.caller_connected']);
  });

  it('Retell: a custom function with wait_for_person is answered with the voice-platforms.md answer plus transfer_number', async () => {
    const id = callId();
    const pending = retellWaiting(id);
    const card = await waitingCard('retell', id);
    await claim(BOB.id, card);
    expect(await pending).toEqual({
      status: 200,
      json: { handoff_id: card.handoffId, status: 'claimed', severity: 'low', caller_message: TRANSFER, transfer_number: BOB.phone },
    });
  });

  it('answers at once when the call\'s handoff is already claimed by someone with a phone', async () => {
    const id = callId();
    const first = vapiTransfer(id);
    const card = await waitingCard('vapi', id);
    await claim(ALICE.id, card);
    await first;
    expect((await vapiTransfer(id)).json).toEqual({ destination: { type: 'number', number: ALICE.phone, message: TRANSFER } });
  });

  it('with no Claim within connect.wait: Vapi gets the fallback as its error, Retell transfer_number null; the card asks for a call back', async () => {
    const vapiCall = callId();
    const retellCall = callId();
    const [vapi, retell] = await Promise.all([vapiTransfer(vapiCall, 'billing'), retellWaiting(retellCall, 'billing')]);
    expect(vapi).toEqual({ status: 200, json: { error: FALLBACK, message: { type: 'request-failed', content: FALLBACK } } });
    expect(retell.json).toMatchObject({ status: 'open', caller_message: FALLBACK, transfer_number: null });
    const handoffId = (await handoffOf('vapi', vapiCall, 'billing'))!;
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ status: 'open', connect: { state: 'timed_out', waitingUntil: null } });
    await awaitCardText(h, handoffId, 'The caller could not wait to be connected');
  });

  it('a Claim by someone with no phone stands, answers the waiting request with the fallback at once, and tells them how to add a number', async () => {
    const id = callId();
    const pending = vapiTransfer(id);
    const card = await waitingCard('vapi', id);
    await claim(CAROL, card);
    expect((await pending).json).toEqual({ error: FALLBACK, message: { type: 'request-failed', content: FALLBACK } });
    expect(await h.bot.store.handoffs.get(card.handoffId)).toMatchObject({ status: 'claimed', claimedBy: CAROL, connect: { state: 'no_phone', user: CAROL } });
    await until(() => h.slack.ephemerals(CAROL).some((e) => JSON.stringify(e).includes('under `people:`')), 5_000, 'the ephemeral');
    await awaitCardText(h, card.handoffId, 'claimed with no phone under `people`');
  });

  it('20 callers waiting at once are each answered with the phone of whoever claimed their handoff', { timeout: 120_000 }, async () => {
    const ids = Array.from({ length: 20 }, callId);
    const pending = ids.map((id) => vapiTransfer(id));
    // Slack takes about one new message per second per channel: the last card comes ~20 s after the first.
    const cards = await Promise.all(ids.map((id) => waitingCard('vapi', id, 60_000)));
    expect(h.bot.connect.waiting).toBeGreaterThanOrEqual(20);
    const claimers = cards.map((_, i) => (i % 2 === 0 ? ALICE : BOB));
    await Promise.all(cards.map((card, i) => claim(claimers[i]!.id, card)));
    const answers = await Promise.all(pending);
    answers.forEach((a, i) => expect(a.json).toEqual({ destination: { type: 'number', number: claimers[i]!.phone, message: TRANSFER } }));
  });

  it('a Claim from the desktop API answers a waiting request the same way', async () => {
    const token = await pairedToken(h, BOB.id);
    const id = callId();
    const pending = vapiTransfer(id);
    const card = await waitingCard('vapi', id);
    const res = await fetch(`${h.bot.url}/v1/handoffs/${card.handoffId}/claim`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect((await pending).json).toEqual({ destination: { type: 'number', number: BOB.phone, message: TRANSFER } });
  });

  it('a platform that stops waiting leaves the handoff open and carded, and the card asks for a call back', async () => {
    const id = callId();
    const controller = new AbortController();
    const pending = vapiTransfer(id, 'clinic-after-hours', controller.signal).catch((err: unknown) => err);
    const card = await waitingCard('vapi', id);
    controller.abort();
    await pending;
    await awaitCardText(h, card.handoffId, 'The caller stopped waiting on the line before anyone claimed');
    expect(await h.bot.store.handoffs.get(card.handoffId)).toMatchObject({ status: 'open', connect: { state: 'closed' } });
    expect(h.bot.connect.waiting).toBe(0);
  });

  it('keeps the caller id out of every log line', () => {
    expect(h.logs.text).not.toContain('4155550987');
    expect(h.logs.text).toContain('transfer request answered');
  });
});
