/**
 * Twilio Messages REST API (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
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

export interface TwilioClient {
  sendSms(message: SmsMessage): Promise<SmsResult>;
}

/** Twilio codes that mean "try later" even if the HTTP status alone would not say so. */
const RETRYABLE_TWILIO_CODES = new Set([20429, 20500, 20503]);

export function isRetryableTwilioFailure(httpStatus: number | null, twilioCode: number | null): boolean {
  if (httpStatus === null) return true;
  if (twilioCode !== null && RETRYABLE_TWILIO_CODES.has(twilioCode)) return true;
  return httpStatus === 429 || httpStatus >= 500;
}

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  if (!/^AC[0-9a-fA-F]{32}$/.test(options.accountSid)) throw new TypeError('Twilio account SID must be AC + 32 hex digits');
  if (options.authToken.length === 0) throw new TypeError('Twilio auth token is required');
  const base = (options.apiUrl ?? DEFAULT_TWILIO_API_URL).replace(/\/+$/, '');
  const endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS;

  return {
    async sendSms(message) {
      let res: Response;
      let text: string;
      try {
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: new URLSearchParams({ To: message.to, From: message.from, Body: message.body }).toString(),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        return { ok: false, retryable: true, code: timedOut ? 'timeout' : 'network_error', httpStatus: null };
      }
      return parseTwilioResponse(res.status, text, res.headers.get('retry-after'));
    },
  };
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
