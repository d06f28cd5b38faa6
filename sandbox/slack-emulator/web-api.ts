// The /api/<method> adapter: faults, then auth, then the method; every call
// is recorded. Answers the way Slack does: HTTP 200 with ok:false for API
// errors, 429 + Retry-After when rate limited.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog, CallOutcome } from './calls.js';
import type { Fault, FaultBook } from './faults.js';
import { BodyError, parseParams, readBody, sendJson, type Params } from './http-io.js';
import { ArgError, METHODS, type MethodContext } from './methods/index.js';
import type { RateLimiter } from './rate-limits.js';
import { apiError, type ApiResult } from './types.js';

export interface WebApiDeps {
  ctx: MethodContext;
  faults: FaultBook;
  calls: CallLog;
  clock: () => number;
  /** Tokens the emulator accepts (the bot token). */
  tokens: ReadonlySet<string>;
  /** Responses left hanging by a `hang` fault; closed when the emulator stops. */
  hung: Set<ServerResponse>;
  /** Slack's rate limits (429 + Retry-After) when enabled. */
  rateLimits: RateLimiter;
  /** Hears every request body as it arrived (privacy tests scan what the bot sent); off by default. */
  wiretap?: Wiretap;
}

/** One request the bot made to "Slack": a Web API call or a post to a response_url, its body as sent. */
export interface WireEntry {
  kind: 'web_api' | 'response_url';
  /** The Web API method, or the response_url's id. */
  target: string;
  body: string;
}
export type Wiretap = (entry: WireEntry) => void;

export type AuthCheck = { ok: true } | { ok: false; error: 'not_authed' | 'invalid_auth' };

/** Slack reads the token from `Authorization: Bearer` or, for form posts, the `token` argument. */
export function checkAuth(authorization: string | undefined, params: Params, tokens: ReadonlySet<string>): AuthCheck {
  let token: string | undefined;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return { ok: false, error: 'invalid_auth' };
    token = m[1];
  } else if (typeof params.token === 'string' && params.token.length > 0) {
    token = params.token;
  }
  if (token === undefined) return { ok: false, error: 'not_authed' };
  return tokens.has(token) ? { ok: true } : { ok: false, error: 'invalid_auth' };
}

export async function handleWebApi(deps: WebApiDeps, method: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const record = (outcome: CallOutcome, error?: string): void =>
    deps.calls.record({ method, at: deps.clock(), outcome, ...(error !== undefined ? { error } : {}) });

  let body: string;
  try {
    body = await readBody(req);
  } catch {
    record('api_error', 'request_too_large');
    sendJson(res, 413, apiError('request_too_large'));
    return;
  }
  deps.wiretap?.({ kind: 'web_api', target: method, body });

  const fault = deps.faults.take(method);
  if (fault) {
    applyFault(deps, fault, res, record);
    return;
  }

  let params: Params;
  try {
    params = parseParams(url, req.headers['content-type'], body);
  } catch (err) {
    const code = err instanceof BodyError && err.code === 'invalid_json' ? 'invalid_json' : 'invalid_form_data';
    record('api_error', code);
    sendJson(res, 200, apiError(code));
    return;
  }

  const auth = checkAuth(req.headers.authorization, params, deps.tokens);
  if (!auth.ok) {
    record('auth_error', auth.error);
    sendJson(res, 200, apiError(auth.error));
    return;
  }

  const limited = deps.rateLimits.check(method, typeof params.channel === 'string' ? deps.ctx.state.resolveChannel(params.channel) ?? params.channel : undefined);
  if (!limited.ok) {
    applyFault(deps, { kind: 'ratelimit', retryAfterSec: limited.retryAfterSec }, res, record);
    return;
  }

  const handler = METHODS[method];
  if (!handler) {
    record('api_error', 'unknown_method');
    sendJson(res, 200, { ...apiError('unknown_method'), req_method: method });
    return;
  }

  let result: ApiResult;
  try {
    result = handler(params, deps.ctx);
  } catch (err) {
    result = err instanceof ArgError ? apiError(err.code, err.messages) : apiError('internal_error');
  }
  if (result.ok) record('ok');
  else record('api_error', result.error);
  sendJson(res, 200, result);
}

function applyFault(deps: WebApiDeps, fault: Fault, res: ServerResponse, record: (o: CallOutcome, e?: string) => void): void {
  switch (fault.kind) {
    case 'ratelimit':
      record('ratelimited', 'ratelimited');
      sendJson(res, 429, apiError('ratelimited'), { 'retry-after': String(fault.retryAfterSec) });
      return;
    case 'status':
      record('http_error', String(fault.status));
      sendJson(res, fault.status, apiError(fault.status >= 500 ? 'fatal_error' : 'request_failed'));
      return;
    case 'error':
      record('api_error', fault.error);
      sendJson(res, 200, apiError(fault.error));
      return;
    case 'hang':
      record('hung');
      deps.hung.add(res);
      res.on('close', () => deps.hung.delete(res));
      return;
    case 'disconnect':
      record('disconnected');
      res.socket?.destroy();
      return;
  }
}
