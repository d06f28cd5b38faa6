import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

/** Slack Web API failures in the few classes the outbox decides on (retry, wait, give up). */
export type SlackErrorClass = 'rate_limited' | 'transient' | 'auth' | 'permanent';

export interface ClassifiedSlackError {
  class: SlackErrorClass;
  code: string;
  retryAfterMs?: number;
}

const AUTH = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope']);
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'invalid_metadata_format',
  'invalid_arguments',
  'no_text',
]);

/**
 * Classifies an error thrown by @slack/web-api's WebClient by its class. A transport failure keeps the
 * system's code (ECONNREFUSED, ...): since web-api 8 the original is fetch's TypeError, which carries it
 * in its `cause`.
 */
export function classifySlackError(err: unknown): ClassifiedSlackError {
  if (err instanceof WebAPIRateLimitedError) {
    return { class: 'rate_limited', code: 'ratelimited', retryAfterMs: Math.max(1, err.retryAfter) * 1000 };
  }
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    if (code === 'ratelimited') return { class: 'rate_limited', code, retryAfterMs: 1000 };
    if (AUTH.has(code)) return { class: 'auth', code };
    if (PERMANENT.has(code)) return { class: 'permanent', code };
    return { class: 'transient', code };
  }
  if (err instanceof WebAPIHTTPError) return { class: 'transient', code: `http_${err.statusCode}` };
  if (err instanceof WebAPIRequestError) return { class: 'transient', code: systemCode(err.original) ?? 'network_error' };
  return { class: 'transient', code: systemCode(err) ?? 'network_error' };
}

function systemCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.code === 'string' ? e.code : undefined;
}
