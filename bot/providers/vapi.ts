import { digestEqualsBase64, digestEqualsHex, FIVE_MINUTES_MS, hmac, isPlainObject, parseJsonObject, secretEquals, str, type HmacAlgorithm } from './crypto.js';
import { envSecret, jsonAnswer, NOT_JSON, notShape, type HandoffAsk, type ProviderAdapter, type VerifyResult } from './types.js';

/** Unix seconds below this, milliseconds above (10^12 ms is 2001; 10^12 s is far in the future). */
const MS_THRESHOLD = 1e12;

function toolArguments(item: Record<string, unknown>): { params: Record<string, unknown>; issues: HandoffAsk['issues'] } {
  if (isPlainObject(item.parameters)) return { params: item.parameters, issues: [] };
  const fn = isPlainObject(item.function) ? item.function : null;
  const args = fn?.arguments;
  if (isPlainObject(args)) return { params: args, issues: [] };
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      if (isPlainObject(parsed)) return { params: parsed, issues: [] };
    } catch {
      // reported below: a live caller is never refused for a form error
    }
    return { params: {}, issues: [{ path: 'function.arguments', message: 'not a JSON object' }] };
  }
  return { params: {}, issues: [] };
}

/** Digest length in bytes of each algorithm Vapi's `HmacAuthenticationPlan` offers. */
const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
const ALGORITHM_PREFIX = /^(sha1|sha256|sha512)=/i;

/** The secret of a Bearer credential, with or without its `Bearer ` prefix. */
function bearerSecret(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim();
}

/**
 * An HMAC credential: `x-signature` = HMAC of `<x-timestamp>.<raw body>`, with whichever algorithm
 * and encoding the credential chose, optionally prefixed `<algorithm>=`. The signature's length
 * says which (hex 40/64/128, base64 28/44/88 characters never collide), and the prefix, when given,
 * must agree with it.
 */
function verifyHmac(signature: string, timestamp: string, body: Buffer, secret: string, nowMs: number): VerifyResult {
  const stamp = timestamp.trim();
  if (!/^\d{1,16}$/.test(stamp)) return { ok: false, failure: 'bad_signature' };
  const n = Number(stamp);
  const stampMs = n >= MS_THRESHOLD ? n : n * 1000;
  if (Math.abs(nowMs - stampMs) > FIVE_MINUTES_MS) return { ok: false, failure: 'stale_timestamp' };
  const given = signature.trim();
  const prefix = ALGORITHM_PREFIX.exec(given)?.[1]?.toLowerCase() as HmacAlgorithm | undefined;
  const value = prefix ? given.slice(prefix.length + 1) : given;
  for (const algorithm of prefix ? [prefix] : (Object.keys(DIGEST_BYTES) as HmacAlgorithm[])) {
    const bytes = DIGEST_BYTES[algorithm];
    const hex = value.length === bytes * 2;
    if (!hex && value.length !== Math.ceil(bytes / 3) * 4) continue;
    const expected = hmac(algorithm, secret, [`${stamp}.`, body]);
    const ok = hex ? digestEqualsHex(expected, value) : digestEqualsBase64(expected, value);
    return ok ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
  }
  return { ok: false, failure: 'bad_signature' };
}

/**
 * Vapi: every way a server credential authenticates. Bearer (the default: `Authorization: Bearer
 * <secret>`; or the header `x-vapi-secret`, with or without the prefix, which is also the legacy
 * secret), or HMAC (`x-signature` + `x-timestamp`, SHA-256/512/1, hex or base64). Every request is
 * `{"message": {"type": …}}`; tool calls are answered `{"results": [{toolCallId, name, result}]}`.
 */
/** `VAPI_SECRET`: the secret of the Vapi server credential; null: not configured. */
export interface VapiSecrets {
  secret: string | null;
}

export const vapi: ProviderAdapter<VapiSecrets> = {
  platform: 'vapi',

  secretsFrom: (env) => ({ secret: envSecret(env, 'VAPI_SECRET') }),

  verify(req, secrets, nowMs): VerifyResult {
    if (!secrets.secret) return { ok: false, failure: 'not_configured' };
    const signature = req.headers['x-signature'];
    const timestamp = req.headers['x-timestamp'];
    if (signature && timestamp) return verifyHmac(signature, timestamp, req.body, secrets.secret, nowMs);
    // Both headers may come (a custom header set on the server beside the credential): either may carry it.
    const given = [req.headers['authorization'], req.headers['x-vapi-secret']].filter((v) => v !== undefined);
    if (given.length === 0) return { ok: false, failure: 'missing_header' };
    const matches = given.map((v) => secretEquals(bearerSecret(v), secrets.secret!));
    return matches.includes(true) ? { ok: true, via: 'secret' } : { ok: false, failure: 'bad_signature' };
  },

  parse(req) {
    const body = parseJsonObject(req.body);
    if (!body) return NOT_JSON;
    const message = isPlainObject(body.message) ? body.message : null;
    if (!message || typeof message.type !== 'string') return notShape('A Vapi server message is {"message": {"type": …}}.');
    const call = isPlainObject(message.call) ? message.call : null;
    const callId = str(call?.id);
    const customer = isPlainObject(message.customer) ? message.customer : isPlainObject(call?.customer) ? call.customer : null;
    const callerId = str(customer?.number);
    switch (message.type) {
      case 'tool-calls': {
        const list = Array.isArray(message.toolCallList) ? message.toolCallList : null;
        if (!list || list.length === 0 || !list.every(isPlainObject)) return notShape('tool-calls needs a toolCallList of tool calls.');
        if (!callId) return notShape('tool-calls needs message.call.id.');
        const asks = (list as Record<string, unknown>[]).map((item): HandoffAsk => {
          const fn = isPlainObject(item.function) ? item.function : null;
          const name = str(fn?.name) ?? str(item.name);
          return { callId, callerId, ...toolArguments(item), toolCallId: str(item.id) ?? '', ...(name ? { toolName: name } : {}) };
        });
        return { kind: 'handoff', asks };
      }
      case 'status-update':
        if (message.status !== 'ended') return { kind: 'ignored' };
        if (!callId) return notShape('status-update needs message.call.id.');
        return { kind: 'call_ended', callId, summary: null };
      case 'end-of-call-report': {
        if (!callId) return notShape('end-of-call-report needs message.call.id.');
        const analysis = isPlainObject(message.analysis) ? message.analysis : null;
        return { kind: 'call_ended', callId, summary: str(analysis?.summary) };
      }
      case 'transfer-destination-request':
        if (!callId) return notShape('transfer-destination-request needs message.call.id.');
        return { kind: 'transfer_request', callId, callerId };
      default:
        return { kind: 'ignored' };
    }
  },

  answer(input, results) {
    if (input.kind !== 'handoff') return jsonAnswer({});
    return jsonAnswer({
      results: input.asks.map((ask, i) => ({
        toolCallId: ask.toolCallId ?? '',
        name: ask.toolName ?? '',
        result: results[i]?.caller_message ?? '',
      })),
    });
  },
};
