import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { CallbackError } from './callback-error.js';
import { defaultResolver, resolveCallbackTarget, type PinnedTarget, type Resolver } from './resolve-target.js';

export { checkCallbackUrl, type UrlCheck } from './url-policy.js';
export { classifyAddress, type SsrfReason } from './address-policy.js';
export { CallbackError, type CallbackErrorCode } from './callback-error.js';
export { defaultResolver, type Resolver } from './resolve-target.js';

export const DEFAULT_CALLBACK_TIMEOUT_MS = 5_000;
export const MAX_CALLBACK_RESPONSE_BYTES = 64 * 1024;

/** Opens the connection. Injectable so tests can count sockets; the default is node:http(s). */
export type RequestFn = (options: https.RequestOptions) => http.ClientRequest;

const defaultRequest: RequestFn = (options) =>
  options.protocol === 'https:' ? https.request(options) : http.request(options);

export interface GuardedPostOptions {
  /** The workflow's `callback_hosts`. */
  callbackHosts: readonly string[];
  resolve?: Resolver;
  request?: RequestFn;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export type GuardedPostResult = { ok: true; status: number } | { ok: false; status: number | null; error: CallbackError };

/**
 * POSTs `body` to `rawUrl` after the SSRF checks, on a socket pinned to the checked address.
 * Never follows redirects, never throws: every failure is a CallbackError with a stable code.
 * One deadline covers DNS, connect, the request and reading the response.
 */
export async function guardedPost(
  rawUrl: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>>,
  options: GuardedPostOptions,
): Promise<GuardedPostResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const hostForErrors = safeHost(rawUrl);

  const decision = await withDeadline(
    resolveCallbackTarget(rawUrl, options.callbackHosts, options.resolve ?? defaultResolver),
    timeoutMs,
  );
  if (decision === 'timeout') return failure(new CallbackError('timeout', hostForErrors));
  if (!decision.ok) return failure(new CallbackError('ssrf_refused', decision.host, { reason: decision.reason }));

  return postPinned(decision.target, Buffer.from(body), headers, {
    request: options.request ?? defaultRequest,
    timeoutMs: Math.max(1, deadline - Date.now()),
    maxResponseBytes: options.maxResponseBytes ?? MAX_CALLBACK_RESPONSE_BYTES,
  });
}

/**
 * A `lookup` that ignores the name and answers the address already checked, so a second DNS
 * answer (rebinding) can never redirect the socket. Node skips `lookup` for literal addresses,
 * which is fine: a literal is the checked address itself.
 */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

function postPinned(
  target: PinnedTarget,
  body: Buffer,
  headers: Readonly<Record<string, string>>,
  opts: { request: RequestFn; timeoutMs: number; maxResponseBytes: number },
): Promise<GuardedPostResult> {
  const { url, host } = target;
  return new Promise((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const finish = (result: GuardedPostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      req?.destroy();
    };
    const timer = setTimeout(() => finish(failure(new CallbackError('timeout', host))), opts.timeoutMs);

    try {
      req = opts.request({
        protocol: url.protocol,
        // The original name stays the host so that Host and TLS SNI/certificate checks use it;
        // `lookup` pins the socket to the checked address.
        host: target.literal ? target.address : host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': String(body.length) },
        lookup: pinnedLookup(target.address, target.family),
        family: target.family,
        ...(target.literal ? {} : { servername: host }),
        agent: false,
      });
    } catch {
      finish(failure(new CallbackError('network_error', host)));
      return;
    }

    req.on('error', () => finish(failure(new CallbackError('network_error', host))));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        finish({ ok: false, status, error: new CallbackError('redirect_refused', host, { httpStatus: status }) });
        return;
      }
      const tooLarge = (): void =>
        finish({ ok: false, status, error: new CallbackError('response_too_large', host, { httpStatus: status }) });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxResponseBytes) {
        tooLarge();
        return;
      }
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > opts.maxResponseBytes) tooLarge();
      });
      res.on('end', () => {
        if (status >= 200 && status < 300) finish({ ok: true, status });
        else finish({ ok: false, status, error: new CallbackError(`http_${status}`, host, { httpStatus: status }) });
      });
      res.on('error', () => finish(failure(new CallbackError('network_error', host))));
    });
    req.end(body);
  });
}

function failure(error: CallbackError): GuardedPostResult {
  return { ok: false, status: error.httpStatus ?? null, error };
}

function safeHost(rawUrl: string): string | null {
  try {
    return new URL(rawUrl).hostname || null;
  } catch {
    return null;
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
