import { createHmac } from 'node:crypto';
import Retell from 'retell-sdk';
import twilioSdk from 'twilio';
import { describe, expect, it } from 'vitest';
import { elevenlabs } from './elevenlabs.js';
import { retell } from './retell.js';
import { twilio } from './twilio.js';
import { providerSecretsFrom } from './index.js';
import type { TwilioSecrets } from './twilio.js';
import type { RawRequest } from './types.js';
import { vapi } from './vapi.js';

// Vectors are computed here with node:crypto from each platform's documented scheme, independently of
// the verifiers under test; where the platform ships an SDK, the SDK signs or checks the same vector.
// The bot's side reads them from the environment, each platform its own variables, as in production.
const ENV = {
  RETELL_API_KEY: 'key_7f3a9c',
  VAPI_SECRET: 'vapi-secret-42',
  ELEVENLABS_WEBHOOK_SECRET: 'wsec_abc123',
  ELEVENLABS_TOOL_TOKEN: 'tool-token-xyz',
  TWILIO_AUTH_TOKEN: '12345',
  HANDOFF_PUBLIC_URL: 'https://mycompany.com',
};
const SECRETS = providerSecretsFrom(ENV);
const NONE = providerSecretsFrom({});
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const BODY = '{"name":"request_handoff","call":{"call_id":"c1"},"args":{"patient_name":"Ünïcode ✓"}}';

function req(headers: Record<string, string>, body: string | Buffer = BODY, pathAndQuery = '/v1/providers/x/wf'): RawRequest {
  return { headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), pathAndQuery };
}
const hex = (alg: string, key: string, msg: string) => createHmac(alg, key).update(msg, 'utf8').digest('hex');
const failure = (r: { ok: boolean; failure?: string }) => (r.ok ? 'ok' : r.failure);

describe('Retell verifier', () => {
  const sig = (ms: number, key = SECRETS.retell.apiKey!, body = BODY) => ({ 'x-retell-signature': `v=${ms},d=${hex('sha256', key, body + String(ms))}` });
  it.each([
    ['valid', sig(NOW), BODY, 'ok'],
    ['4m59s old', sig(NOW - 299_000), BODY, 'ok'],
    ['tampered body', sig(NOW), BODY.replace('c1', 'c2'), 'bad_signature'],
    ['wrong key', sig(NOW, 'key_other'), BODY, 'bad_signature'],
    ['stale', sig(NOW - 301_000), BODY, 'stale_timestamp'],
    ['future', sig(NOW + 301_000), BODY, 'stale_timestamp'],
    ['missing header', {}, BODY, 'missing_header'],
    ['digest cut short', { 'x-retell-signature': `v=${NOW},d=${hex('sha256', SECRETS.retell.apiKey!, BODY + NOW).slice(0, 62)}` }, BODY, 'bad_signature'],
    ['garbage', { 'x-retell-signature': 'v=abc,d=zz' }, BODY, 'bad_signature'],
  ])('%s', (_name, headers, body, expected) => {
    expect(failure(retell.verify(req(headers, body), SECRETS.retell, NOW))).toBe(expected);
  });
  it('refuses everything when RETELL_API_KEY is unset', () => {
    expect(failure(retell.verify(req(sig(NOW)), NONE.retell, NOW))).toBe('not_configured');
  });
  it('verifies what retell-sdk signs, and retell-sdk verifies what the vector gives', async () => {
    const now = Date.now();
    const header = await Retell.sign(BODY, SECRETS.retell.apiKey!);
    expect(retell.verify(req({ 'x-retell-signature': header }), SECRETS.retell, now).ok).toBe(true);
    expect(await Retell.verify(BODY, SECRETS.retell.apiKey!, sig(now)['x-retell-signature'])).toBe(true);
  });
});

describe('Vapi verifier', () => {
  const hmacHeaders = (ts: string, key = SECRETS.vapi.secret!, body = BODY, prefix = '') => ({ 'x-signature': prefix + hex('sha256', key, `${ts}.${body}`), 'x-timestamp': ts });
  const s = String(NOW / 1000);
  it.each([
    ['plain secret', { 'x-vapi-secret': 'vapi-secret-42' }, 'ok'],
    ['wrong plain secret', { 'x-vapi-secret': 'vapi-secret-43' }, 'bad_signature'],
    ['plain secret prefix only', { 'x-vapi-secret': 'vapi-secret-4' }, 'bad_signature'],
    ['hmac, seconds', hmacHeaders(s), 'ok'],
    ['hmac, milliseconds', hmacHeaders(String(NOW)), 'ok'],
    ['hmac, sha256= prefix', hmacHeaders(s, undefined, undefined, 'sha256='), 'ok'],
    ['hmac, wrong key', hmacHeaders(s, 'other'), 'bad_signature'],
    ['hmac, stale', hmacHeaders(String(NOW / 1000 - 301)), 'stale_timestamp'],
    ['hmac, future', hmacHeaders(String(NOW + 301_000)), 'stale_timestamp'],
    ['hmac, no timestamp', { 'x-signature': hmacHeaders(s)['x-signature'] }, 'missing_header'],
    ['hmac, sha512= prefix on a sha256 digest', hmacHeaders(s, undefined, undefined, 'sha512='), 'bad_signature'],
    ['hmac, digest cut short', { ...hmacHeaders(s), 'x-signature': hmacHeaders(s)['x-signature'].slice(0, 63) }, 'bad_signature'],
    ['bearer, the default Authorization header', { authorization: 'Bearer vapi-secret-42' }, 'ok'],
    ['bearer, Authorization without the prefix', { authorization: 'vapi-secret-42' }, 'ok'],
    ['bearer, x-vapi-secret with the prefix', { 'x-vapi-secret': 'Bearer vapi-secret-42' }, 'ok'],
    ['bearer, wrong secret', { authorization: 'Bearer vapi-secret-43' }, 'bad_signature'],
    ['bearer, the prefix alone', { authorization: 'Bearer ' }, 'bad_signature'],
    ['bearer, another Authorization beside the right x-vapi-secret', { authorization: 'Basic abc', 'x-vapi-secret': 'vapi-secret-42' }, 'ok'],
    ['nothing', {}, 'missing_header'],
  ])('%s', (_name, headers, expected) => {
    expect(failure(vapi.verify(req(headers), SECRETS.vapi, NOW))).toBe(expected);
  });
  it.each(['sha256', 'sha512', 'sha1'].flatMap((alg) => (['hex', 'base64'] as const).flatMap((enc) => ['', `${alg}=`].map((prefix) => [alg, enc, prefix] as const))))(
    'hmac %s, %s, prefix "%s": accepted; with another key or body refused',
    (alg, enc, prefix) => {
      const sign = (key: string, body = BODY) => ({ 'x-signature': prefix + createHmac(alg, key).update(`${s}.${body}`, 'utf8').digest(enc), 'x-timestamp': s });
      expect(failure(vapi.verify(req(sign(SECRETS.vapi.secret!)), SECRETS.vapi, NOW))).toBe('ok');
      expect(failure(vapi.verify(req(sign('other')), SECRETS.vapi, NOW))).toBe('bad_signature');
      expect(failure(vapi.verify(req(sign(SECRETS.vapi.secret!), `${BODY} `), SECRETS.vapi, NOW))).toBe('bad_signature');
    },
  );
  it('refuses a tampered body under a valid HMAC, and everything when VAPI_SECRET is unset', () => {
    expect(failure(vapi.verify(req(hmacHeaders(s), `${BODY} `), SECRETS.vapi, NOW))).toBe('bad_signature');
    expect(failure(vapi.verify(req({ 'x-vapi-secret': 'vapi-secret-42' }), NONE.vapi, NOW))).toBe('not_configured');
  });
});

describe('ElevenLabs verifier', () => {
  const signed = (t: number, key = SECRETS.elevenlabs.webhookSecret!, body = BODY) => ({ 'elevenlabs-signature': `t=${t},v0=${hex('sha256', key, `${t}.${body}`)}` });
  const t = NOW / 1000;
  it.each([
    ['webhook', signed(t), 'ok'],
    ['webhook 29 min old', signed(t - 29 * 60), 'ok'],
    ['webhook 31 min old', signed(t - 31 * 60), 'stale_timestamp'],
    ['webhook 4 min ahead', signed(t + 4 * 60), 'ok'],
    ['webhook 6 min ahead', signed(t + 6 * 60), 'stale_timestamp'],
    ['webhook wrong key', signed(t, 'wsec_other'), 'bad_signature'],
    ['webhook without v0', { 'elevenlabs-signature': `t=${t}` }, 'bad_signature'],
    ['tool token', { authorization: 'Bearer tool-token-xyz' }, 'ok'],
    ['wrong tool token', { authorization: 'Bearer tool-token-xyZ' }, 'bad_signature'],
    ['nothing', {}, 'missing_header'],
  ])('%s', (_name, headers, expected) => {
    expect(failure(elevenlabs.verify(req(headers), SECRETS.elevenlabs, NOW))).toBe(expected);
  });
  it('tells the two kinds apart, and refuses a kind whose secret is unset', () => {
    expect(elevenlabs.verify(req(signed(t)), SECRETS.elevenlabs, NOW)).toEqual({ ok: true, via: 'signature' });
    expect(elevenlabs.verify(req({ authorization: 'Bearer tool-token-xyz' }), SECRETS.elevenlabs, NOW)).toEqual({ ok: true, via: 'token' });
    expect(failure(elevenlabs.verify(req(signed(t)), { ...SECRETS.elevenlabs, webhookSecret: null }, NOW))).toBe('not_configured');
    expect(failure(elevenlabs.verify(req({ authorization: 'Bearer tool-token-xyz' }), { ...SECRETS.elevenlabs, toolToken: null }, NOW))).toBe('not_configured');
  });
});

describe('Twilio verifier', () => {
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
  const path = '/myapp.php?foo=1&bar=2';
  const url = `https://mycompany.com${path}`;
  const form = new URLSearchParams(params).toString();
  // Twilio's documented scheme: the URL, then each parameter sorted by name, name immediately followed by value.
  const expected = createHmac('sha1', '12345')
    .update(url + 'CallSid' + params.CallSid + 'Caller' + params.Caller + 'Digits' + params.Digits + 'From' + params.From + 'To' + params.To)
    .digest('base64');
  const formReq = (signature: string | null, body = form, pq = path) =>
    req({ 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) }, body, pq);

  it('the vector is the twilio SDK\'s', () => {
    expect(twilioSdk.getExpectedTwilioSignature('12345', url, params)).toBe(expected);
  });
  it.each([
    ['valid', formReq(expected), 'ok'],
    ['tampered parameter', formReq(expected, form.replace('1234', '9999')), 'bad_signature'],
    ['other path', formReq(expected, form, '/other'), 'bad_signature'],
    ['wrong key', formReq(createHmac('sha1', '54321').update('x').digest('base64')), 'bad_signature'],
    ['missing header', formReq(null), 'missing_header'],
  ])('%s', (_name, request, want) => {
    expect(failure(twilio.verify(request, SECRETS.twilio, NOW))).toBe(want);
  });
  it('takes what the twilio SDK\'s validateRequest takes for the same URL: with or without the port, a repeated value once, HMAC_SHA256 when the settings header names it', () => {
    const withPort = { ...SECRETS.twilio, publicUrl: 'https://mycompany.com:443' };
    const repeated = `${form}&Digits=1234`;
    const cases: [string, string, TwilioSecrets, string, Record<string, string | string[]>, Record<string, string>][] = [
      ['configured with :443, signed without', url, withPort, form, params, {}],
      ['configured without, signed with :443', url.replace('.com', '.com:443'), SECRETS.twilio, form, params, {}],
      ['a repeated parameter value', url, SECRETS.twilio, repeated, { ...params, Digits: ['1234', '1234'] }, {}],
      ['HMAC_SHA256 by the settings header', url, SECRETS.twilio, form, params, { 'x-twilio-webhooks-signature-settings': 'key=k1,algorithm=HMAC_SHA256' }],
      ['an algorithm nobody offers', url, SECRETS.twilio, form, params, { 'x-twilio-webhooks-signature-settings': 'algorithm=HMAC_MD5' }],
    ];
    for (const [name, signedUrl, secrets, body, sdkParams, extra] of cases) {
      const algorithm = extra['x-twilio-webhooks-signature-settings']?.split('algorithm=')[1];
      const sdkSays = (() => {
        try {
          const signature = twilioSdk.getExpectedTwilioSignature('12345', signedUrl, sdkParams, algorithm);
          return { signature, ok: twilioSdk.validateRequest('12345', signature, secrets.publicUrl! + path, sdkParams, algorithm) };
        } catch {
          return { signature: 'x', ok: false };
        }
      })();
      const ours = twilio.verify(req({ 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sdkSays.signature, ...extra }, body, path), secrets, NOW).ok;
      expect(ours, name).toBe(sdkSays.ok);
      expect(ours, name).toBe(name !== 'an algorithm nobody offers');
    }
  });

  it('refuses everything without TWILIO_AUTH_TOKEN or HANDOFF_PUBLIC_URL', () => {
    expect(failure(twilio.verify(formReq(expected), { ...SECRETS.twilio, publicUrl: null }, NOW))).toBe('not_configured');
    expect(failure(twilio.verify(formReq(expected), { ...SECRETS.twilio, authToken: null }, NOW))).toBe('not_configured');
  });
});
