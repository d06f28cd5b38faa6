import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import { digestEqualsBase64, hmac, isPlainObject, str } from './crypto.js';
import { envSecret, notShape, type HandoffAsk, type ProviderAdapter, type RawRequest, type VerifyResult } from './types.js';

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;

function formParams(req: RawRequest): URLSearchParams | null {
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) return null;
  return new URLSearchParams(req.body.toString('utf8'));
}

/** Twilio's string to sign: the full URL, then every parameter sorted by name as name followed by value (a repeated value once, as the twilio SDK). */
export function twilioSigningString(url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let out = url;
  for (const name of names) {
    for (const value of [...new Set(params.getAll(name))].sort()) out += name + value;
  }
  return out;
}

/** Scheme, authority without the port, the port (`:443` or empty) and the rest, without normalising anything. */
function splitUrl(url: string): { head: string; port: string; rest: string; https: boolean } | null {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!m) return null;
  const authority = m[2]!;
  const hostStart = authority.lastIndexOf('@') + 1;
  const portStart = authority.indexOf(':', Math.max(hostStart, authority.lastIndexOf(']') + 1));
  return {
    head: m[1]! + (portStart === -1 ? authority : authority.slice(0, portStart)),
    port: portStart === -1 ? '' : authority.slice(portStart),
    rest: url.slice(m[0].length),
    https: m[1]!.toLowerCase() === 'https://',
  };
}

/**
 * Every form of the URL the twilio SDK's `validateRequest` accepts a signature for: as received,
 * with and without the port (Twilio signs the URL as it dialled it, `:443` or not), then the URL as
 * `new URL` normalises it, with and without the port and with its query re-encoded the legacy way.
 */
export function signedUrlForms(url: string): string[] {
  const withoutPort = (u: string) => {
    const p = splitUrl(u);
    return p ? p.head + p.rest : u;
  };
  const withPort = (u: string) => {
    const p = splitUrl(u);
    return !p || p.port ? u : p.head + (p.https ? ':443' : ':80') + p.rest;
  };
  const legacyQuery = (u: string) => {
    const q = u.indexOf('?');
    return q === -1 || q === u.length - 1 ? u : `${u.slice(0, q)}?${stringifyQuery(parseQuery(u.slice(q + 1)))}`;
  };
  let normalized: string | null = null;
  try {
    normalized = new URL(url).toString();
  } catch {
    // not a URL `new URL` takes: the forms as received are all there is
  }
  const normal = normalized ? [withoutPort(normalized), withPort(normalized)] : [];
  return [...new Set([withoutPort(url), withPort(url), ...normal, ...normal.map(legacyQuery)])];
}

/** `X-Twilio-Webhooks-Signature-Settings: key=…,algorithm=HMAC_SHA256` names the algorithm; none is HMAC-SHA1. */
function signatureAlgorithm(settings: string | undefined): 'sha1' | 'sha256' | null {
  const named = (settings ?? '').split(',').map((part) => /^\s*algorithm\s*=\s*(\S+)\s*$/.exec(part)?.[1]).find(Boolean);
  if (!named || named.toUpperCase() === 'HMAC_SHA1') return 'sha1';
  return named.toUpperCase() === 'HMAC_SHA256' ? 'sha256' : null;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function twiml(inner: string): { status: number; contentType: string; body: string } {
  return { status: 200, contentType: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>` };
}

/**
 * Twilio: `x-twilio-signature` = base64 HMAC-SHA1 (key `TWILIO_AUTH_TOKEN`) of `HANDOFF_PUBLIC_URL` +
 * path and query + the sorted form parameters; whatever form of that URL the twilio SDK's own
 * `validateRequest` takes is taken here too. The `<Connect action>` callback carries `HandoffData`,
 * the JSON string the agent ended its session with; the answer is TwiML that says the caller message.
 */
/** `TWILIO_AUTH_TOKEN` and `HANDOFF_PUBLIC_URL` (without a trailing slash: Twilio signs the full URL it called). */
export interface TwilioSecrets {
  authToken: string | null;
  publicUrl: string | null;
}

export const twilio: ProviderAdapter<TwilioSecrets> = {
  platform: 'twilio',

  secretsFrom: (env) => ({ authToken: envSecret(env, 'TWILIO_AUTH_TOKEN'), publicUrl: envSecret(env, 'HANDOFF_PUBLIC_URL')?.replace(/\/+$/, '') ?? null }),

  verify(req, secrets): VerifyResult {
    if (!secrets.authToken || !secrets.publicUrl) return { ok: false, failure: 'not_configured' };
    const signature = req.headers['x-twilio-signature'];
    if (!signature) return { ok: false, failure: 'missing_header' };
    const algorithm = signatureAlgorithm(req.headers['x-twilio-webhooks-signature-settings']);
    if (!algorithm) return { ok: false, failure: 'bad_signature' };
    const params = formParams(req) ?? new URLSearchParams();
    const token = secrets.authToken;
    const ok = signedUrlForms(secrets.publicUrl + req.pathAndQuery).some((url) => digestEqualsBase64(hmac(algorithm, token, [twilioSigningString(url, params)]), signature));
    return ok ? { ok: true, via: 'signature' } : { ok: false, failure: 'bad_signature' };
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
