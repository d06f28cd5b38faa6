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

/** Classifies an error thrown by @slack/web-api's WebClient by its `code` and `data.error`. */
export function classifySlackError(err: unknown): ClassifiedSlackError {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; original?: { code?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return { class: 'rate_limited', code: 'ratelimited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'platform_error';
    if (code === 'ratelimited') return { class: 'rate_limited', code, retryAfterMs: 1000 };
    if (AUTH.has(code)) return { class: 'auth', code };
    if (PERMANENT.has(code)) return { class: 'permanent', code };
    return { class: 'transient', code };
  }
  if (e.code === 'slack_webapi_http_error') return { class: 'transient', code: `http_${e.statusCode ?? 'error'}` };
  return { class: 'transient', code: e.original?.code ?? e.code ?? 'network_error' };
}
