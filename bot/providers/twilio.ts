import { digestEqualsBase64, hmac, isPlainObject, str } from './crypto.js';
import { notShape, type HandoffAsk, type ProviderAdapter, type RawRequest, type VerifyResult } from './types.js';

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

function formParams(req: RawRequest): URLSearchParams | null {
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) return null;
  return new URLSearchParams(req.body.toString('utf8'));
}

/** Twilio's string to sign: the full URL, then every parameter sorted by name as name followed by value. */
export function twilioSigningString(url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let out = url;
  for (const name of names) {
    for (const value of params.getAll(name).sort()) out += name + value;
  }
  return out;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function twiml(inner: string): { status: number; contentType: string; body: string } {
  return { status: 200, contentType: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>` };
}

/**
 * Twilio: `x-twilio-signature` = base64 HMAC-SHA1 (key `TWILIO_AUTH_TOKEN`) of `HANDOFF_PUBLIC_URL` +
 * path and query + the sorted form parameters. The `<Connect action>` callback carries `HandoffData`,
 * the JSON string the agent ended its session with; the answer is TwiML that says the caller message.
 */
export const twilio: ProviderAdapter = {
  platform: 'twilio',

  verify(req, secrets): VerifyResult {
    if (!secrets.twilioAuthToken || !secrets.publicUrl) return { ok: false, failure: 'not_configured' };
    const signature = req.headers['x-twilio-signature'];
    if (!signature) return { ok: false, failure: 'missing_header' };
    const params = formParams(req) ?? new URLSearchParams();
    const expected = hmac('sha1', secrets.twilioAuthToken, [twilioSigningString(secrets.publicUrl + req.pathAndQuery, params)]);
    return digestEqualsBase64(expected, signature) ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
  },

  parse(req) {
    const params = formParams(req);
    if (!params) return notShape('Twilio posts application/x-www-form-urlencoded.');
    const callId = str(params.get('CallSid'));
    if (!callId) return notShape('CallSid is required.');
    const data = params.get('HandoffData');
    if (data === null || data.trim() === '') return { kind: 'no_handoff' };
    const issues: HandoffAsk['issues'] = [];
    let parsed: Record<string, unknown> = {};
    try {
      const v: unknown = JSON.parse(data);
      if (isPlainObject(v)) parsed = v;
      else issues.push({ path: 'HandoffData', message: 'not a JSON object' });
    } catch {
      issues.push({ path: 'HandoffData', message: 'not valid JSON' });
    }
    const inbound = (params.get('Direction') ?? 'inbound') === 'inbound';
    return { kind: 'handoff', asks: [{ callId, callerId: str(params.get(inbound ? 'From' : 'To')), params: parsed, issues }] };
  },

  answer(input, results) {
    const message = input.kind === 'handoff' ? results[0]?.caller_message : undefined;
    return twiml(message ? `<Say>${xmlEscape(message)}</Say>` : '');
  },
};
