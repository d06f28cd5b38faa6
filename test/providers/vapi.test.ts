import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signVapi, vapiBearer, vapiEndOfCallReport, vapiStatusUpdate, vapiToolCalls, vapiWithSecret, type SignedRequest, type VapiHmacPlan } from '../../sandbox/fakes/voice-platforms.js';
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

const S = VOICE_SECRETS.vapiSecret;
const callId = () => `vapi-call-${randomUUID()}`;
const ARGS = { handoff_reason: 'appointment_change', patient_name: 'Vera Vapison', callback_number: '+15555550142' };
const body = (id: string, args: Record<string, unknown> = ARGS, toolCalls?: Parameters<typeof vapiToolCalls>[1]) =>
  JSON.stringify(vapiToolCalls({ callId: id, callerId: '+15555550161', args }, toolCalls));

describe('Vapi: POST /v1/providers/vapi/:workflow_id', () => {
  it('a tool call (HMAC credential) creates one handoff and one card, answered as results with the toolCallId', async () => {
    const id = callId();
    const res = await send(h, 'vapi', signVapi(body(id, ARGS, [{ id: 'tc_first' }]), S));
    expect(res.status).toBe(200);
    const json = expectJson(res) as { results: { toolCallId: string; name: string; result: string }[] };
    expect(json.results).toEqual([{ toolCallId: 'tc_first', name: 'request_handoff', result: 'I have passed this to the front desk.' }]);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    const row = (await h.bot.store.handoffs.get(handoffId))!;
    expect(row).toMatchObject({ callerId: '+15555550161', callStatus: 'in_progress', reason: 'appointment_change', severity: 'low', intakeIssues: null, webhookUrl: null });
    expect(row.structuredFields).toEqual({ patient_name: 'Vera Vapison', callback_number: '+15555550142' });
    await awaitCardText(h, handoffId, 'Vera Vapison');
    expect(await awaitCardText(h, handoffId, '*Via*\\nVapi')).not.toContain('Retell');
    expect(cardsFor(h, handoffId)).toBe(1);
    expect(await awaitCardText(h, handoffId, handoffId)).not.toContain('Status callbacks are off');
  });

  it('accepts the plain x-vapi-secret credential and arguments sent as a JSON string', async () => {
    const id = callId();
    const res = await send(h, 'vapi', vapiWithSecret(body(id, ARGS, [{ id: 'tc_str', args: JSON.stringify(ARGS) }]), S));
    expect(res.status).toBe(200);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    expect((await h.bot.store.handoffs.get(handoffId))!.structuredFields).toEqual({ patient_name: 'Vera Vapison', callback_number: '+15555550142' });
  });

  it('refuses every signature failure with 401 invalid_signature and stores nothing', async () => {
    const raw = body(callId());
    const now = Math.floor(Date.now() / 1000);
    const good = signVapi(raw, S);
    const cases = {
      tampered: { ...good, body: raw.replace('Vera', 'Vera ') },
      wrongKey: signVapi(raw, 'another-secret'),
      stale: signVapi(raw, S, String(now - 6 * 60)),
      future: signVapi(raw, S, String(now + 6 * 60)),
      staleMs: signVapi(raw, S, String((now - 6 * 60) * 1000)),
      missingHeader: { body: raw, headers: { 'content-type': 'application/json' } },
      missingTimestamp: { body: raw, headers: { 'content-type': 'application/json', 'x-signature': good.headers['x-signature']! } },
      wrongPlainSecret: vapiWithSecret(raw, `${S}x`),
    };
    const before = stored(h);
    for (const [name, req] of Object.entries(cases)) {
      const res = await send(h, 'vapi', req);
      expect(res.status, name).toBe(401);
      expect(expectJson(res).error, name).toBe('invalid_signature');
    }
    expect(stored(h)).toEqual(before);
    // The same request, correctly signed (ms timestamp, sha256= prefix), goes through.
    expect((await send(h, 'vapi', signVapi(raw, S, String(Date.now()), 'sha256='))).status).toBe(200);
  });

  it('accepts every credential a Vapi server credential can be (Bearer in any header form, HMAC with any algorithm and encoding), and refuses each made with the wrong secret', async () => {
    const now = () => String(Math.floor(Date.now() / 1000));
    const hmacPlans: VapiHmacPlan[] = (['sha256', 'sha512', 'sha1'] as const).flatMap((algorithm) =>
      (['hex', 'base64'] as const).flatMap((signatureEncoding) => ['', `${algorithm}=`].map((signaturePrefix) => ({ algorithm, signatureEncoding, signaturePrefix }))),
    );
    const credentials: [string, (raw: string, secret: string) => SignedRequest][] = [
      ['Bearer, the default (Authorization: Bearer)', (raw, secret) => vapiBearer(raw, secret)],
      ['Bearer, Authorization without the prefix', (raw, secret) => vapiBearer(raw, secret, { bearerPrefixEnabled: false })],
      ['Bearer, header x-vapi-secret without the prefix', (raw, secret) => vapiBearer(raw, secret, { headerName: 'x-vapi-secret', bearerPrefixEnabled: false })],
      ['Bearer, header x-vapi-secret with the prefix', (raw, secret) => vapiBearer(raw, secret, { headerName: 'x-vapi-secret' })],
      ['legacy x-vapi-secret', (raw, secret) => vapiWithSecret(raw, secret)],
      ...hmacPlans.map((plan): [string, (raw: string, secret: string) => SignedRequest] => [
        `HMAC ${plan.algorithm} ${plan.signatureEncoding}${plan.signaturePrefix ? ` prefixed ${plan.signaturePrefix}` : ''}`,
        (raw, secret) => signVapi(raw, secret, now(), plan),
      ]),
    ];
    for (const [name, credential] of credentials) {
      const raw = body(callId());
      const before = stored(h);
      const refused = await send(h, 'vapi', credential(raw, `${S}-not`));
      expect(refused.status, `${name}, wrong secret`).toBe(401);
      expect(expectJson(refused).error, name).toBe('invalid_signature');
      expect(stored(h), name).toEqual(before);
      const accepted = await send(h, 'vapi', credential(raw, S));
      expect(accepted.status, name).toBe(200);
      expect((expectJson(accepted) as { results: unknown[] }).results, name).toHaveLength(1);
    }
  });

  it('answers a retry with the same results and stores nothing more', async () => {
    const id = callId();
    const raw = body(id);
    const first = await send(h, 'vapi', signVapi(raw, S));
    const before = stored(h);
    const again = await send(h, 'vapi', signVapi(raw, S));
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(stored(h)).toEqual(before);
  });

  it('merges a later, different request from the same call into the one handoff and edits its card', async () => {
    const id = callId();
    await send(h, 'vapi', signVapi(body(id), S));
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    const { channel, ts } = await awaitCard(h, handoffId);
    const updates = h.slack.calls.count('chat.update');
    const res = await send(h, 'vapi', signVapi(body(id, { handoff_reason: 'emergency_or_sensitive_request', preferred_clinic: 'northside', caller_message: 'Help is on the way' }, [{ id: 'tc_second' }]), S));
    const json = expectJson(res) as { results: { toolCallId: string; result: string }[] };
    expect(json.results[0]).toMatchObject({ toolCallId: 'tc_second', result: 'I am marking this for a person now.' });
    const row = (await h.bot.store.handoffs.get(handoffId))!;
    expect(row).toMatchObject({ severity: 'urgent', reason: 'emergency_or_sensitive_request' });
    expect(row.structuredFields).toEqual({ patient_name: 'Vera Vapison', callback_number: '+15555550142', preferred_clinic: 'northside' });
    await until(() => h.slack.calls.count('chat.update') > updates, 10_000, 'a card edit');
    await awaitCardText(h, handoffId, 'northside');
    expect(h.slack.message(channel, ts)).toBeDefined();
    expect(cardsFor(h, handoffId)).toBe(1);
    expect((await h.bot.store.events.forHandoff(handoffId)).map((e) => e.type)).toEqual(['handoff.received', 'handoff.updated']);
  });

  it('accepts invalid or missing fields as an incomplete handoff whose card lists what was wrong', async () => {
    const id = callId();
    const res = await send(h, 'vapi', signVapi(body(id, { handoff_reason: 'not_a_reason', visits: 'many', preferred_clinic: 'uptown', severity: 'extreme' }), S));
    expect(res.status).toBe(200);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    const row = (await h.bot.store.handoffs.get(handoffId))!;
    expect(row.reason).toBe('unspecified');
    expect(row.intakeIssues!.map((i) => i.path).sort()).toEqual(['handoff_reason', 'patient_name', 'preferred_clinic', 'severity', 'visits']);
    const text = await awaitCardText(h, handoffId, 'Incomplete request');
    for (const path of ['patient_name: required, missing', 'visits:', 'preferred_clinic:', 'handoff_reason:']) expect(text).toContain(path);
    expect(text).not.toContain('uptown');
  });

  it('answers each of several tool calls in one request, all on the call\'s one handoff', async () => {
    const id = callId();
    const res = await send(h, 'vapi', signVapi(body(id, ARGS, [{ id: 'tc_a' }, { id: 'tc_b', args: { visits: 2 } }]), S));
    const json = expectJson(res) as { results: { toolCallId: string }[] };
    expect(json.results.map((r) => r.toolCallId)).toEqual(['tc_a', 'tc_b']);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    expect((await h.bot.store.handoffs.get(handoffId))!.structuredFields).toMatchObject({ visits: 2, patient_name: 'Vera Vapison' });
  });

  it('status-update ended and end-of-call-report complete the call, keep the summary and show the hang-up on the card', async () => {
    const id = callId();
    await send(h, 'vapi', signVapi(body(id), S));
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', id))!;
    await awaitCard(h, handoffId);
    const ended = await send(h, 'vapi', signVapi(JSON.stringify(vapiStatusUpdate(id, 'ended')), S));
    expect(ended.status).toBe(200);
    expect(expectJson(ended)).toEqual({});
    expect((await h.bot.store.handoffs.get(handoffId))!).toMatchObject({ callStatus: 'completed', callSummary: null });
    await awaitCardText(h, handoffId, 'Caller hung up: call back');
    const report = await send(h, 'vapi', signVapi(JSON.stringify(vapiEndOfCallReport(id, 'Vera wants to move her Tuesday visit.')), S));
    expect(report.status).toBe(200);
    expect((await h.bot.store.handoffs.get(handoffId))!.callSummary).toBe('Vera wants to move her Tuesday visit.');
    expect(cardsFor(h, handoffId)).toBe(1);
    expect((await h.bot.store.events.forHandoff(handoffId)).filter((e) => e.type === 'handoff.call_ended')).toHaveLength(2);
  });

  it('answers other verified messages and events of calls without a handoff 200 {} and stores nothing', async () => {
    const before = stored(h);
    for (const msg of [vapiStatusUpdate(callId(), 'in-progress'), vapiEndOfCallReport(callId(), 'nothing to see'), { message: { type: 'speech-update' } }]) {
      const res = await send(h, 'vapi', signVapi(JSON.stringify(msg), S));
      expect(res.status).toBe(200);
      expect(expectJson(res)).toEqual({});
    }
    expect(stored(h)).toEqual(before);
  });

  it('refuses what is not a Vapi message with 400, an unknown workflow with 404, a body over 64 KiB with 413', async () => {
    const before = stored(h);
    expect((await send(h, 'vapi', signVapi('{"hello":1}', S))).status).toBe(400);
    expect((await send(h, 'vapi', signVapi('not json', S))).status).toBe(400);
    expect((await send(h, 'vapi', signVapi(JSON.stringify({ message: { type: 'tool-calls', call: { id: 'x' } } }), S))).status).toBe(400);
    const unknown = await send(h, 'vapi', signVapi(body(callId()), S), 'no-such-workflow');
    expect(unknown.status).toBe(404);
    expect(expectJson(unknown).error).toBe('not_found');
    const big = await send(h, 'vapi', signVapi(body(callId(), { ...ARGS, notes: 'x'.repeat(70_000) }), S));
    expect(big.status).toBe(413);
    expect(stored(h)).toEqual(before);
  });
});
