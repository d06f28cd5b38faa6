import { randomBytes } from 'node:crypto';
import twilioSdk from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPath, signTwilio, twilioConnectAction } from '../../sandbox/fakes/voice-platforms.js';
import type { Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { awaitCard, awaitCardText, BOT_PROVIDER_SECRETS, cardsFor, send, startProviderHarness, stored, PUBLIC_URL, VOICE_SECRETS } from '../support/providers.js';

let h: Harness;
beforeAll(async () => {
  h = await startProviderHarness();
});
afterAll(async () => {
  await h.close();
});

const TOKEN = VOICE_SECRETS.twilioAuthToken;
const URL_SIGNED = PUBLIC_URL + providerPath('twilio', 'clinic-after-hours');
const callSid = () => `CA${randomBytes(16).toString('hex')}`;
const ARGS = { handoff_reason: 'appointment_change', patient_name: 'Tess Twilight' };
const form = (sid: string, args: Record<string, unknown> = ARGS) => twilioConnectAction({ callId: sid, callerId: '+15555550191', args });

function sayOf(text: string): string | null {
  return /<Say>([^<]*)<\/Say>/.exec(text)?.[1] ?? null;
}

describe('Twilio: POST /v1/providers/twilio/:workflow_id', () => {
  it('a <Connect action> callback signed as Twilio signs creates one handoff and card, answered with TwiML <Say>', async () => {
    const sid = callSid();
    const params = form(sid);
    const signed = signTwilio(URL_SIGNED, params, TOKEN);
    // The platform's own SDK agrees with the sandbox's signer.
    expect(twilioSdk.validateRequest(TOKEN, signed.headers['x-twilio-signature']!, URL_SIGNED, params)).toBe(true);
    const res = await send(h, 'twilio', signed);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/text\/xml/);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>.*<\/Say><\/Response>$/);
    expect(sayOf(res.text)).toBe('I have passed this to the front desk.');
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'twilio', sid))!;
    expect(await h.bot.store.handoffs.get(handoffId)).toMatchObject({ callerId: '+15555550191', structuredFields: { patient_name: 'Tess Twilight' } });
    await awaitCardText(h, handoffId, 'Tess Twilight');
    expect(cardsFor(h, handoffId)).toBe(1);
  });

  it('takes a signature made by the twilio SDK (getExpectedTwilioSignature), the caller from To on outbound calls', async () => {
    const sid = callSid();
    const params = { ...form(sid), Direction: 'outbound-api', From: '+15555550111', To: '+15555550192' };
    const signature = twilioSdk.getExpectedTwilioSignature(TOKEN, URL_SIGNED, params);
    const res = await send(h, 'twilio', { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
    expect(res.status).toBe(200);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'twilio', sid))!;
    expect((await h.bot.store.handoffs.get(handoffId))!.callerId).toBe('+15555550192');
  });

  it('refuses every signature failure with 401 and stores nothing', async () => {
    const params = form(callSid());
    const good = signTwilio(URL_SIGNED, params, TOKEN);
    const cases = {
      tamperedBody: { ...good, body: good.body.replace('Tess', 'Tass') },
      wrongKey: signTwilio(URL_SIGNED, params, 'ffffffffffffffffffffffffffffffff'),
      otherUrl: signTwilio(`${PUBLIC_URL}/v1/providers/twilio/billing`, params, TOKEN),
      httpNotHttps: signTwilio(URL_SIGNED.replace('https:', 'http:'), params, TOKEN),
      missingHeader: { body: good.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    };
    const before = stored(h);
    for (const [name, req] of Object.entries(cases)) {
      const res = await send(h, 'twilio', req);
      expect(res.status, name).toBe(401);
    }
    expect(stored(h)).toEqual(before);
  });

  it('accepts a request the twilio SDK signed for the URL with or without :443, and refuses what its validateRequest refuses', async () => {
    const withPort = URL_SIGNED.replace('handoff.example.test', 'handoff.example.test:443');
    const signedFor = {
      asConfigured: URL_SIGNED,
      withPort443: withPort,
      otherPort: URL_SIGNED.replace('handoff.example.test', 'handoff.example.test:8443'),
      plainHttp: URL_SIGNED.replace('https:', 'http:'),
      otherPath: `${PUBLIC_URL}/v1/providers/twilio/billing`,
    };
    const verdicts: Record<string, { sdk: boolean; bot: number }> = {};
    for (const [name, url] of Object.entries(signedFor)) {
      const params = form(callSid());
      const signature = twilioSdk.getExpectedTwilioSignature(TOKEN, url, params);
      const res = await send(h, 'twilio', { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
      verdicts[name] = { sdk: twilioSdk.validateRequest(TOKEN, signature, URL_SIGNED, params), bot: res.status };
    }
    expect(verdicts).toEqual({
      asConfigured: { sdk: true, bot: 200 },
      withPort443: { sdk: true, bot: 200 },
      otherPort: { sdk: false, bot: 401 },
      plainHttp: { sdk: false, bot: 401 },
      otherPath: { sdk: false, bot: 401 },
    });
    // With the wrong token, neither form is taken.
    const params = form(callSid());
    for (const url of [URL_SIGNED, withPort]) {
      const signature = twilioSdk.getExpectedTwilioSignature('ffffffffffffffffffffffffffffffff', url, params);
      expect((await send(h, 'twilio', { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } })).status).toBe(401);
    }
  });

  it('answers a retry the same; a later request of the same call edits the one card', async () => {
    const sid = callSid();
    const first = await send(h, 'twilio', signTwilio(URL_SIGNED, form(sid), TOKEN));
    const before = stored(h);
    const again = await send(h, 'twilio', signTwilio(URL_SIGNED, form(sid), TOKEN));
    expect(again.text).toBe(first.text);
    expect(stored(h)).toEqual(before);
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'twilio', sid))!;
    await awaitCard(h, handoffId);
    const updates = h.slack.calls.count('chat.update');
    const later = await send(h, 'twilio', signTwilio(URL_SIGNED, form(sid, { handoff_reason: 'emergency_or_sensitive_request', caller_message: 'We will <call> you & more' }), TOKEN));
    expect(sayOf(later.text)).toBe('I am marking this for a person now.');
    await until(() => h.slack.calls.count('chat.update') > updates, 10_000, 'a card edit');
    await awaitCardText(h, handoffId, 'URGENT');
    expect(cardsFor(h, handoffId)).toBe(1);
  });

  it('HandoffData that is not JSON still creates a handoff, marked incomplete; no HandoffData asks for nothing', async () => {
    const sid = callSid();
    const res = await send(h, 'twilio', signTwilio(URL_SIGNED, { ...form(sid), HandoffData: '{not json' }, TOKEN));
    expect(res.status).toBe(200);
    expect(sayOf(res.text)).toBe('I am marking this for a person now.');
    const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'twilio', sid))!;
    const text = await awaitCardText(h, handoffId, 'Incomplete request');
    expect(text).toContain('HandoffData: not valid JSON');
    const before = stored(h);
    const { HandoffData: _none, ...noData } = form(callSid());
    const empty = await send(h, 'twilio', signTwilio(URL_SIGNED, noData, TOKEN));
    expect(empty.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(stored(h)).toEqual(before);
  });

  it('escapes the caller message for XML', async () => {
    const res = await send(h, 'twilio', signTwilio(URL_SIGNED, form(callSid(), { ...ARGS, handoff_reason: 'unspecified', caller_message: 'Tom & Jerry <will> "call"' }), TOKEN));
    expect(sayOf(res.text)).toBe('Tom &amp; Jerry &lt;will&gt; &quot;call&quot;');
  });

  it('answers 401 when HANDOFF_PUBLIC_URL is not set, whatever the signature', async () => {
    const bare = await startProviderHarness({ settings: { providers: { ...BOT_PROVIDER_SECRETS, twilio: { ...BOT_PROVIDER_SECRETS.twilio, publicUrl: null } }, publicUrl: null } });
    try {
      const res = await send(bare, 'twilio', signTwilio(URL_SIGNED, form(callSid()), TOKEN));
      expect(res.status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});
