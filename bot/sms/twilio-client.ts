/**
 * Twilio REST: Messages (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource)
 * for SMS, Calls (https://www.twilio.com/docs/voice/api/call-resource) for Call back.
 * The URL comes from config, never from a caller, so the global fetch is fine here (no SSRF guard).
 */

export const DEFAULT_TWILIO_API_URL = 'https://api.twilio.com';
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** `TWILIO_API_URL`; the sandbox points it at its fake. */
  apiUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface SmsMessage {
  to: string;
  from: string;
  body: string;
}

/**
 * `code` is Twilio's error code as a string (`'21211'`) when Twilio sent one, else one of ours:
 * `network_error`, `timeout`, `bad_response`, `http_<status>`. Twilio's `message` is dropped on
 * purpose: it quotes the phone number.
 */
export type SmsResult =
  | { ok: true; sid: string; status: string }
  | { ok: false; retryable: boolean; code: string; httpStatus: number | null; retryAfterMs?: number };

/** Twilio's Calls API (https://www.twilio.com/docs/voice/api/call-resource): ring `to`, then run `twiml`. */
export interface OutboundCall {
  to: string;
  from: string;
  /** Inline TwiML (Twilio caps it at 4,000 characters). */
  twiml: string;
}

/** A call as the Calls list returns it; only what a duplicate check needs. */
export interface ListedCall {
  sid: string;
  dateCreatedMs: number;
}

export type CallListResult = { ok: true; calls: ListedCall[] } | Extract<SmsResult, { ok: false }>;

export interface TwilioClient {
  sendSms(message: SmsMessage): Promise<SmsResult>;
  /** Places an outbound call; the result's sid is the `CA…` call sid. */
  createCall(call: OutboundCall): Promise<SmsResult>;
  /** The most recent calls from `from` to `to` (one page), to find a call an interrupted attempt placed. */
  listCalls(filter: { to: string; from: string }): Promise<CallListResult>;
}

/** Twilio codes that mean "try later" even if the HTTP status alone would not say so. */
const RETRYABLE_TWILIO_CODES = new Set([20429, 20500, 20503]);

export function isRetryableTwilioFailure(httpStatus: number | null, twilioCode: number | null): boolean {
  if (httpStatus === null) return true;
  if (twilioCode !== null && RETRYABLE_TWILIO_CODES.has(twilioCode)) return true;
  return httpStatus === 429 || httpStatus >= 500;
}

type RawAnswer = { ok: true; status: number; text: string; retryAfter: string | null } | { ok: false; failure: Extract<SmsResult, { ok: false }> };

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  if (!/^AC[0-9a-fA-F]{32}$/.test(options.accountSid)) throw new TypeError('Twilio account SID must be AC + 32 hex digits');
  if (options.authToken.length === 0) throw new TypeError('Twilio auth token is required');
  const base = (options.apiUrl ?? DEFAULT_TWILIO_API_URL).replace(/\/+$/, '');
  const account = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS;

  async function call(resource: string, form: Record<string, string> | null, query?: Record<string, string>): Promise<RawAnswer> {
    const url = `${account}/${resource}${query ? `?${new URLSearchParams(query).toString()}` : ''}`;
    try {
      const res = await doFetch(url, {
        method: form ? 'POST' : 'GET',
        headers: {
          authorization,
          accept: 'application/json',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { ok: true, status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { ok: false, failure: { ok: false, retryable: true, code: timedOut ? 'timeout' : 'network_error', httpStatus: null } };
    }
  }

  const created = (answer: RawAnswer): SmsResult => (answer.ok ? parseTwilioResponse(answer.status, answer.text, answer.retryAfter) : answer.failure);

  return {
    async sendSms(message) {
      return created(await call('Messages.json', { To: message.to, From: message.from, Body: message.body }));
    },
    async createCall(outbound) {
      return created(await call('Calls.json', { To: outbound.to, From: outbound.from, Twiml: outbound.twiml }));
    },
    async listCalls(filter) {
      const answer = await call('Calls.json', null, { To: filter.to, From: filter.from, PageSize: '50' });
      if (!answer.ok) return answer.failure;
      return parseCallList(answer.status, answer.text, answer.retryAfter);
    },
  };
}

/** Pure: a Calls list answer to the calls it names (a failure keeps Twilio's code, never its message). */
export function parseCallList(httpStatus: number, text: string, retryAfter: string | null = null): CallListResult {
  if (httpStatus < 200 || httpStatus >= 300) {
    const failed = parseTwilioResponse(httpStatus, text, retryAfter);
    return failed.ok ? { ok: false, retryable: true, code: 'bad_response', httpStatus } : failed;
  }
  const rows = safeJson(text)?.['calls'];
  if (!Array.isArray(rows)) return { ok: false, retryable: true, code: 'bad_response', httpStatus };
  const calls: ListedCall[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    const created = typeof row?.['date_created'] === 'string' ? Date.parse(row['date_created']) : NaN;
    if (typeof row?.['sid'] === 'string' && Number.isFinite(created)) calls.push({ sid: row['sid'], dateCreatedMs: created });
  }
  return { ok: true, calls };
}

/** Pure: one Twilio HTTP answer to an SmsResult. */
export function parseTwilioResponse(httpStatus: number, text: string, retryAfter: string | null = null): SmsResult {
  const json = safeJson(text);
  if (httpStatus >= 200 && httpStatus < 300) {
    const sid = json?.['sid'];
    if (typeof sid === 'string' && sid.length > 0) {
      const status = json?.['status'];
      return { ok: true, sid, status: typeof status === 'string' ? status : 'queued' };
    }
    // Accepted but unreadable: retrying could send a duplicate SMS, so do not.
    return { ok: false, retryable: false, code: 'bad_response', httpStatus };
  }
  const rawCode = json?.['code'];
  const twilioCode = typeof rawCode === 'number' && Number.isInteger(rawCode) ? rawCode : null;
  const result: SmsResult = {
    ok: false,
    retryable: isRetryableTwilioFailure(httpStatus, twilioCode),
    code: twilioCode !== null ? String(twilioCode) : `http_${httpStatus}`,
    httpStatus,
  };
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
