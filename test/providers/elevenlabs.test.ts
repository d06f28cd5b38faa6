import { createHmac, randomUUID } from 'node:crypto';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elevenLabsPostCall, elevenLabsTool, elevenLabsToolBody, signElevenLabs } from '../../sandbox/fakes/voice-platforms.js';
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

const TOKEN = VOICE_SECRETS.elevenlabsToolToken;
const WH = VOICE_SECRETS.elevenlabsWebhookSecret;
const convId = () => `conv_${randomUUID().replace(/-/g, '')}`;
const ARGS = { handoff_reason: 'appointment_change', patient_name: 'Elle Elevenson', preferred_clinic: 'downtown' };
const tool = (id: string, args: Record<string, unknown> = ARGS) => JSON.stringify(elevenLabsToolBody({ callId: id, callerId: '+15555550181', args }));

describe('ElevenLabs: POST /v1/providers/elevenlabs/:workflow_id', () => {
  it('a webhook-tool call with the bearer token creates one handoff and card, answered as JSON', async () => {
    const id = convId();
    const res = await send(h, 'elevenlabs', elevenLabsTool(tool(id), TOKEN));
    expect(res.status).toBe(200);
    const json = expectJson(res);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'elevenlabs', id))!;
    expect(json).toEqual({ handoff_id: handoffId, status: 'open', severity: 'low', caller_message: 'I have passed this to the front desk.' });
    // caller_id and conversation_id are the call's, never structured fields.
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callerId: '+15555550181', structuredFields: { patient_name: 'Elle Elevenson', preferred_clinic: 'downtown' }, intakeIssues: null });
    await awaitCardText(h, handoffId, 'Elle Elevenson');
    expect(cardsFor(h, handoffId)).toBe(1);
  });

  it('refuses a wrong or missing token and every post-call signature failure with 401, storing nothing', async () => {
    const raw = tool(convId());
    const post = JSON.stringify(elevenLabsPostCall(convId(), 'a summary'));
    const now = Math.floor(Date.now() / 1000);
    const good = signElevenLabs(post, WH);
    const cases = {
      wrongToken: elevenLabsTool(raw, `${TOKEN}x`),
      notBearer: { body: raw, headers: { 'content-type': 'application/json', authorization: `Basic ${TOKEN}` } },
      missingHeader: { body: raw, headers: { 'content-type': 'application/json' } },
      tampered: { ...good, body: post.replace('a summary', 'b summary') },
      wrongKey: signElevenLabs(post, 'wsec_other'),
      stale: signElevenLabs(post, WH, now - 31 * 60),
      future: signElevenLabs(post, WH, now + 6 * 60),
      noV0: { body: post, headers: { 'content-type': 'application/json', 'elevenlabs-signature': `t=${now}` } },
    };
    const before = stored(h);
    for (const [name, req] of Object.entries(cases)) {
      const res = await send(h, 'elevenlabs', req);
      expect(res.status, name).toBe(401);
      expect(expectJson(res).error, name).toBe('invalid_signature');
    }
    expect(stored(h)).toEqual(before);
    // 29 minutes old is still inside ElevenLabs' 30-minute window.
    expect((await send(h, 'elevenlabs', signElevenLabs(post, WH, now - 29 * 60))).status).toBe(200);
  });

  it('the sandbox signer agrees with the ElevenLabs SDK\'s constructEvent', async () => {
    const post = JSON.stringify(elevenLabsPostCall(convId(), 'summary text'));
    const header = signElevenLabs(post, WH).headers['elevenlabs-signature']!;
    const client = new ElevenLabsClient({ apiKey: 'unused-in-this-test' });
    await expect(client.webhooks.constructEvent(post, header, WH)).resolves.toMatchObject({ type: 'post_call_transcription' });
    await expect(client.webhooks.constructEvent(post, header, 'wsec_other')).rejects.toThrow();
    // And the header the SDK's own HMAC would produce is the one the sandbox makes.
    const t = header.split(',')[0]!.slice(2);
    expect(header).toBe(`t=${t},v0=${createHmac('sha256', WH).update(`${t}.${post}`).digest('hex')}`);
  });

  it('answers a retry the same; a later request of the same conversation edits the one card', async () => {
    const id = convId();
    const first = await send(h, 'elevenlabs', elevenLabsTool(tool(id), TOKEN));
    const before = stored(h);
    const again = await send(h, 'elevenlabs', elevenLabsTool(tool(id), TOKEN));
    expect(again.text).toBe(first.text);
    expect(stored(h)).toEqual(before);
    const handoffId = expectJson(first).handoff_id as string;
    await awaitCard(h, handoffId);
    const updates = h.slack.calls.count('chat.update');
    const later = expectJson(await send(h, 'elevenlabs', elevenLabsTool(tool(id, { severity: 'high', visits: 7 }), TOKEN)));
    expect(later).toMatchObject({ handoff_id: handoffId, severity: 'high' });
    await until(() => h.slack.calls.count('chat.update') > updates, 10_000, 'a card edit');
    await awaitCardText(h, handoffId, 'HIGH');
    expect(cardsFor(h, handoffId)).toBe(1);
  });

  it('accepts invalid fields and a missing conversation id as incomplete, listed on the card', async () => {
    const body = JSON.stringify({ caller_id: '+15555550182', patient_name: '', callback_number: '555-1234' });
    const res = expectJson(await send(h, 'elevenlabs', elevenLabsTool(body, TOKEN)));
    const row = (await h.bot.store.handoffs.get(res.handoff_id as string))!;
    expect(row.intakeIssues!.map((i) => i.path).sort()).toEqual(['callback_number', 'conversation_id', 'patient_name']);
    const text = await awaitCardText(h, row.id, 'Incomplete request');
    expect(text).toContain('conversation_id: missing');
    expect(text).not.toContain('555-1234');
  });

  it('post_call_transcription completes the call, keeps the summary and shows the hang-up; other types answer {}', async () => {
    const id = convId();
    const handoffId = expectJson(await send(h, 'elevenlabs', elevenLabsTool(tool(id), TOKEN))).handoff_id as string;
    await awaitCard(h, handoffId);
    const before = stored(h);
    const audio = await send(h, 'elevenlabs', signElevenLabs(JSON.stringify({ type: 'post_call_audio', data: { conversation_id: id, full_audio: 'AAAA' } }), WH));
    expect(expectJson(audio)).toEqual({});
    expect(stored(h)).toEqual(before);
    const res = await send(h, 'elevenlabs', signElevenLabs(JSON.stringify(elevenLabsPostCall(id, 'Elle needs her appointment moved.')), WH));
    expect(expectJson(res)).toEqual({});
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callStatus: 'completed', callSummary: 'Elle needs her appointment moved.' });
    await awaitCardText(h, handoffId, 'Caller hung up: call back');
  });

  it('a tool token cannot report a call as ended (only the signed webhook can)', async () => {
    const id = convId();
    const handoffId = expectJson(await send(h, 'elevenlabs', elevenLabsTool(tool(id), TOKEN))).handoff_id as string;
    await send(h, 'elevenlabs', elevenLabsTool(JSON.stringify(elevenLabsPostCall(id, 'forged')), TOKEN));
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callStatus: 'in_progress', callSummary: null });
  });
});
