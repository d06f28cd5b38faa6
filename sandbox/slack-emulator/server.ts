// Routes requests to the Web API, response_url, control and (optional)
// page handlers. No decisions here beyond which handler owns a path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControl, type ControlDeps } from './control-routes.js';
import { readBody, sendJson } from './http-io.js';
import { ArgError } from './methods/params.js';
import { applyResponse, decideResponse } from './response-url.js';
import type { EmulatorState } from './state.js';
import { apiError } from './types.js';
import { handleWebApi, type WebApiDeps, type Wiretap } from './web-api.js';

/** Extra routes (the sandbox page); return true when the request was handled. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface ServerDeps {
  webApi: WebApiDeps;
  control: ControlDeps;
  state: EmulatorState;
  fallback?: FallbackHandler;
}

export function createRequestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(deps, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, apiError('internal_error'));
      else res.end();
    });
  };
}

async function route(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
  if (api?.[1]) {
    await handleWebApi(deps.webApi, api[1], req, res, url);
    return;
  }
  const response = /^\/response\/([0-9a-f]+)$/.exec(url.pathname);
  if (response?.[1] && req.method === 'POST') {
    await handleResponseUrl(deps.state, response[1], req, res, deps.webApi.wiretap);
    return;
  }
  if (url.pathname.startsWith('/_emulator/') && (await handleControl(deps.control, req, res, url))) return;
  if (deps.fallback && (await deps.fallback(req, res, url))) return;
  sendJson(res, 404, { ok: false, error: 'not_found' });
}

async function handleResponseUrl(state: EmulatorState, id: string, req: IncomingMessage, res: ServerResponse, wiretap?: Wiretap): Promise<void> {
  const raw = await readBody(req);
  wiretap?.({ kind: 'response_url', target: id, body: raw });
  const use = state.useResponseUrl(id);
  if (!use.ok) {
    sendJson(res, 404, apiError(use.error));
    return;
  }
  let body: Record<string, unknown>;
  try {
    // Slack accepts JSON, and a form with a JSON `payload` field.
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    const parsed: unknown = type.startsWith('application/x-www-form-urlencoded')
      ? JSON.parse(new URLSearchParams(raw).get('payload') ?? '{}')
      : JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    sendJson(res, 400, apiError('invalid_payload'));
    return;
  }
  try {
    applyResponse(state, decideResponse(body, use.target));
    sendJson(res, 200, { ok: true });
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    sendJson(res, 400, apiError(err.code, err.messages));
  }
}
