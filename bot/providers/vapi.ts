import { digestEqualsHex, FIVE_MINUTES_MS, hmac, isPlainObject, parseJsonObject, secretEquals, str } from './crypto.js';
import { jsonAnswer, NOT_JSON, notShape, type HandoffAsk, type ProviderAdapter, type VerifyResult } from './types.js';

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

/**
 * Vapi: the server credential's secret as `x-vapi-secret`, or an HMAC credential (`x-signature` =
 * hex HMAC-SHA256 of `<x-timestamp>.<raw body>`, optionally `sha256=`-prefixed). Every request is
 * `{"message": {"type": …}}`; tool calls are answered `{"results": [{toolCallId, name, result}]}`.
 */
export const vapi: ProviderAdapter = {
  platform: 'vapi',

  verify(req, secrets, nowMs): VerifyResult {
    if (!secrets.vapiSecret) return { ok: false, failure: 'not_configured' };
    const plain = req.headers['x-vapi-secret'];
    if (plain !== undefined) return secretEquals(plain, secrets.vapiSecret) ? { ok: true, via: 'secret' } : { ok: false, failure: 'bad_signature' };
    const signature = req.headers['x-signature'];
    const timestamp = req.headers['x-timestamp'];
    if (!signature || !timestamp) return { ok: false, failure: 'missing_header' };
    if (!/^\d{1,16}$/.test(timestamp.trim())) return { ok: false, failure: 'bad_signature' };
    const n = Number(timestamp.trim());
    const stampMs = n >= MS_THRESHOLD ? n : n * 1000;
    if (Math.abs(nowMs - stampMs) > FIVE_MINUTES_MS) return { ok: false, failure: 'stale_timestamp' };
    const expected = hmac('sha256', secrets.vapiSecret, [`${timestamp.trim()}.`, req.body]);
    const hex = signature.trim().replace(/^sha256=/i, '');
    return digestEqualsHex(expected, hex) ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
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
