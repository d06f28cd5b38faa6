import { digestEqualsHex, FIVE_MINUTES_MS, hmac, isPlainObject, parseJsonObject, secretEquals, str } from './crypto.js';
import { envSecret, jsonAnswer, NOT_JSON, notShape, type ProviderAdapter, type VerifyResult } from './types.js';

const THIRTY_MINUTES_MS = 30 * 60_000;

function signatureParts(header: string): { t: string; v0: string } | null {
  let t: string | null = null;
  let v0: string | null = null;
  for (const part of header.split(',')) {
    const [k, ...rest] = part.trim().split('=');
    const v = rest.join('=');
    if (k === 't') t = v;
    else if (k === 'v0') v0 = v;
  }
  return t && v0 && /^\d{1,16}$/.test(t) ? { t, v0 } : null;
}

/**
 * ElevenLabs, two kinds of request: post-call webhooks signed `elevenlabs-signature: t=<unix s>,v0=<hex
 * HMAC-SHA256 of "t.body">` (at most 30 min old, 5 min ahead), and webhook-tool calls that carry the
 * tool's bearer token and the tool's parameters as the body.
 */
/** `ELEVENLABS_WEBHOOK_SECRET` (post-call webhooks' HMAC key) and `ELEVENLABS_TOOL_TOKEN` (tool calls' bearer token). */
export interface ElevenLabsSecrets {
  webhookSecret: string | null;
  toolToken: string | null;
}

export const elevenlabs: ProviderAdapter<ElevenLabsSecrets> = {
  platform: 'elevenlabs',

  secretsFrom: (env) => ({ webhookSecret: envSecret(env, 'ELEVENLABS_WEBHOOK_SECRET'), toolToken: envSecret(env, 'ELEVENLABS_TOOL_TOKEN') }),

  verify(req, secrets, nowMs): VerifyResult {
    const signature = req.headers['elevenlabs-signature'];
    if (signature !== undefined) {
      if (!secrets.webhookSecret) return { ok: false, failure: 'not_configured' };
      const parts = signatureParts(signature);
      if (!parts) return { ok: false, failure: 'bad_signature' };
      const age = nowMs - Number(parts.t) * 1000;
      if (age > THIRTY_MINUTES_MS || age < -FIVE_MINUTES_MS) return { ok: false, failure: 'stale_timestamp' };
      const expected = hmac('sha256', secrets.webhookSecret, [`${parts.t}.`, req.body]);
      return digestEqualsHex(expected, parts.v0) ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
    }
    const auth = req.headers.authorization;
    if (auth === undefined) {
      return secrets.toolToken || secrets.webhookSecret ? { ok: false, failure: 'missing_header' } : { ok: false, failure: 'not_configured' };
    }
    if (!secrets.toolToken) return { ok: false, failure: 'not_configured' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m && secretEquals(m[1]!, secrets.toolToken) ? { ok: true, via: 'token' } : { ok: false, failure: 'bad_signature' };
  },

  parse(req, via) {
    const body = parseJsonObject(req.body);
    if (!body) return NOT_JSON;
    if (via.via === 'signature') {
      // Only the signed kind may report the end of a call; a tool token cannot.
      if (body.type !== 'post_call_transcription') return { kind: 'ignored' };
      const data = isPlainObject(body.data) ? body.data : null;
      const callId = str(data?.conversation_id);
      if (!callId) return notShape('post_call_transcription needs data.conversation_id.');
      const analysis = isPlainObject(data?.analysis) ? data.analysis : null;
      return { kind: 'call_ended', callId, summary: str(analysis?.transcript_summary) };
    }
    const callId = str(body.conversation_id);
    return {
      kind: 'handoff',
      asks: [
        {
          callId,
          callerId: str(body.caller_id),
          params: body,
          issues: callId ? [] : [{ path: 'conversation_id', message: 'missing: set it to {{system__conversation_id}} in the tool' }],
        },
      ],
    };
  },

  answer(input, results) {
    if (input.kind !== 'handoff') return jsonAnswer({});
    return jsonAnswer(results[0]);
  },
};
