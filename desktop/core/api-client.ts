/**
 * Typed REST calls to the bot's desktop API. Every answer is parsed with the shared
 * zod schemas; every failure becomes an ApiError with a stable code.
 */
import type { z } from 'zod';
import { pairResponseSchema, type PairResponse } from '../../shared/schemas/desktop-api.js';
import { errorBodySchema } from '../../shared/schemas/error-body.js';
import { handoffViewSchema, type HandoffView } from '../../shared/schemas/handoff-view.js';

export const API_ERROR_CODES = [
  'unauthorized',
  'invalid_pairing_code',
  'conflict',
  'not_found',
  'rate_limited',
  'invalid_request',
  'server_error',
  'network_error',
  'bad_response',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export type HandoffAction = 'claim' | 'escalate' | 'resolve';

export interface ApiClient {
  pair(code: string, deviceName?: string): Promise<PairResponse>;
  getHandoff(id: string): Promise<HandoffView>;
  /** `body`: Resolve's `{outcome, note?}` (docs/contract/outcomes.md#outcomes); the other actions send `{}`. */
  act(id: string, action: HandoffAction, body?: Record<string, unknown>): Promise<HandoffView>;
}

export interface ApiClientOptions {
  baseUrl: string;
  getToken?: () => string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function codeFor(status: number, serverCode: string | undefined): ApiErrorCode {
  if (serverCode === 'invalid_pairing_code') return 'invalid_pairing_code';
  if (status === 401) return 'unauthorized';
  if (status === 409) return 'conflict';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'server_error';
}

const DEFAULT_MESSAGES: Record<ApiErrorCode, string> = {
  unauthorized: 'This device is not paired any more. Pair it again in Settings.',
  invalid_pairing_code: 'That pairing code is wrong, expired or already used.',
  conflict: 'Someone else already changed this handoff.',
  not_found: 'The handoff no longer exists.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  invalid_request: 'The server refused the request.',
  server_error: 'The server had a problem. Try again.',
  network_error: 'The server cannot be reached.',
  bad_response: 'The server sent an answer this app does not understand.',
};

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;

  async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, schema: z.ZodType<T>, auth: boolean): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      const token = opts.getToken?.() ?? null;
      if (!token) throw new ApiError('unauthorized', DEFAULT_MESSAGES.unauthorized);
      headers.Authorization = `Bearer ${token}`;
    }
    let res: Response;
    try {
      res = await doFetch(new URL(path, base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new ApiError('network_error', DEFAULT_MESSAGES.network_error);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = errorBodySchema.safeParse(json);
      const code = codeFor(res.status, err.success ? err.data.error : undefined);
      // The server's message is shown to the user (e.g. "already claimed by …"); it never carries caller data.
      throw new ApiError(code, err.success ? err.data.message : DEFAULT_MESSAGES[code], res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiError('bad_response', DEFAULT_MESSAGES.bad_response, res.status);
    return parsed.data;
  }

  return {
    pair: (code, deviceName) =>
      call('POST', 'v1/desktop/pair', deviceName ? { code, device_name: deviceName } : { code }, pairResponseSchema, false),
    getHandoff: (id) => call('GET', `v1/handoffs/${encodeURIComponent(id)}`, undefined, handoffViewSchema, true),
    act: (id, action, body) => call('POST', `v1/handoffs/${encodeURIComponent(id)}/${action}`, body ?? {}, handoffViewSchema, true),
  };
}
