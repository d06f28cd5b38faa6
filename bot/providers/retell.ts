import { digestEqualsHex, FIVE_MINUTES_MS, hmac, isPlainObject, parseJsonObject, str } from './crypto.js';
import { envSecret, jsonAnswer, NOT_JSON, notShape, type ProviderAdapter, type VerifyResult } from './types.js';

const SIGNATURE = /^v=(\d{1,16}),d=([0-9a-f]+)$/i;
const ENDED_EVENTS = new Set(['call_ended', 'call_analyzed']);

/**
 * Retell: `x-retell-signature: v=<unix ms>,d=<hex HMAC-SHA256 of the raw body followed by the v digits>`,
 * keyed with the API key. Custom functions send `{name, call, args}`; webhooks send `{event, call}`.
 */
/** `RETELL_API_KEY`: the Retell API key that signs Retell's requests; null: not configured. */
export interface RetellSecrets {
  apiKey: string | null;
}

export const retell: ProviderAdapter<RetellSecrets> = {
  platform: 'retell',

  secretsFrom: (env) => ({ apiKey: envSecret(env, 'RETELL_API_KEY') }),

  verify(req, secrets, nowMs): VerifyResult {
    if (!secrets.apiKey) return { ok: false, failure: 'not_configured' };
    const header = req.headers['x-retell-signature'];
    if (!header) return { ok: false, failure: 'missing_header' };
    const m = SIGNATURE.exec(header.trim());
    if (!m) return { ok: false, failure: 'bad_signature' };
    const stamp = m[1]!;
    if (Math.abs(nowMs - Number(stamp)) > FIVE_MINUTES_MS) return { ok: false, failure: 'stale_timestamp' };
    const expected = hmac('sha256', secrets.apiKey, [req.body, stamp]);
    return digestEqualsHex(expected, m[2]!) ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
  },

  parse(req) {
    const body = parseJsonObject(req.body);
    if (!body) return NOT_JSON;
    const call = isPlainObject(body.call) ? body.call : null;
    const callId = str(call?.call_id);
    if (typeof body.event === 'string') {
      if (!ENDED_EVENTS.has(body.event)) return { kind: 'ignored' };
      if (!callId) return notShape('A Retell call event needs call.call_id.');
      const analysis = isPlainObject(call?.call_analysis) ? call.call_analysis : null;
      return { kind: 'call_ended', callId, summary: str(analysis?.call_summary) };
    }
    if (!call || !callId) return notShape('A Retell custom function call is {name, call: {call_id, …}, args}.');
    if (body.args !== undefined && !isPlainObject(body.args)) return notShape('args must be an object.');
    const outbound = call.direction === 'outbound';
    return {
      kind: 'handoff',
      asks: [
        {
          callId,
          callerId: str(outbound ? call.to_number : call.from_number),
          params: isPlainObject(body.args) ? body.args : {},
          issues: [],
          ...(str(body.name) ? { toolName: str(body.name)! } : {}),
        },
      ],
    };
  },

  answer(input, results) {
    if (input.kind !== 'handoff') return jsonAnswer({});
    return jsonAnswer(results[0]);
  },
};
