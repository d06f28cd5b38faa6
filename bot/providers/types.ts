export const PLATFORMS = ['retell', 'vapi', 'elevenlabs', 'twilio'] as const;
export type Platform = (typeof PLATFORMS)[number];

export function isPlatform(name: string): name is Platform {
  return (PLATFORMS as readonly string[]).includes(name);
}

/** The process environment as given: each platform reads its own variables (docs/contract/running.md#environment-variables). */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed; null when unset or blank (that platform is not configured: 401). */
export function envSecret(env: ProviderEnv, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

/** A request as a verifier sees it: lower-case header names, the raw body, the path and query as sent. */
export interface RawRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
  pathAndQuery: string;
}

export type VerifyFailure = 'not_configured' | 'missing_header' | 'bad_signature' | 'stale_timestamp';

/** ElevenLabs signs its post-call webhooks and authenticates tool calls by bearer token: which one it was. */
export type VerifyResult = { ok: true; via: 'signature' | 'secret' | 'token' } | { ok: false; failure: VerifyFailure };

/** One request for a person, as a platform sends it, before the workflow's rules are applied. */
export interface HandoffAsk {
  /** The platform's call id; null when the request carries none (then only exact retries are recognised). */
  callId: string | null;
  callerId: string | null;
  /** Reason, severity, notify, caller message and fields, by name (docs/contract/voice-platforms.md#mapping). */
  params: Record<string, unknown>;
  /** Problems with the request's form found while mapping (e.g. Twilio's HandoffData is not JSON). */
  issues: { path: string; message: string }[];
  /** Vapi: the tool call this ask answers. */
  toolCallId?: string;
  toolName?: string;
}

/** What a verified platform request is about. */
export type ProviderInput =
  | { kind: 'handoff'; asks: HandoffAsk[] }
  | { kind: 'call_ended'; callId: string; summary: string | null }
  /** Vapi asks where to transfer a live caller (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi). */
  | { kind: 'transfer_request'; callId: string; callerId: string | null }
  /** Twilio's `<Connect action>` after a session that asked for no person. */
  | { kind: 'no_handoff' }
  /** A verified event this product does not act on: answered 200 `{}`. */
  | { kind: 'ignored' };

export interface ParseError {
  kind: 'invalid';
  code: 'invalid_json' | 'invalid_request';
  message: string;
}

export const NOT_JSON: ParseError = { kind: 'invalid', code: 'invalid_json', message: 'The body is not a JSON object.' };

export function notShape(message: string): ParseError {
  return { kind: 'invalid', code: 'invalid_request', message };
}

/** The answer to one handoff ask, whatever platform asked. */
export interface AskResult {
  handoff_id: string;
  status: string;
  severity: string;
  caller_message: string;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function jsonAnswer(value: unknown, status = 200): HttpAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

/**
 * One platform: its own secrets, how it proves who it is, what its requests mean, and how it wants to
 * be answered. A new platform is one adapter module, named in PLATFORMS and in index.ts: its secrets are its own.
 */
export interface ProviderAdapter<S = unknown> {
  platform: Platform;
  /** The platform's secrets from its own environment variables. */
  secretsFrom(env: ProviderEnv): S;
  verify(req: RawRequest, secrets: S, nowMs: number): VerifyResult;
  /** What the body means; a ParseError when it is not the platform's request at all (400). */
  parse(req: RawRequest, via: VerifyResult & { ok: true }): ProviderInput | ParseError;
  answer(input: ProviderInput, results: readonly AskResult[]): HttpAnswer;
}
