/**
 * HTTP side of the desktop stand-in, on the sandbox origin (the emulator's fallback):
 * the window's files under /desktop/, one POST route per IPC channel, and an SSE
 * stream of state pushes and notifications (what main sends the window in Electron).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IPC_STATE_CHANGED, ipcContract, type AppState } from '../../desktop/shared/ipc.js';
import type { FallbackHandler } from '../slack-emulator/index.js';
import type { DesktopAsset } from './desktop-assets.js';
import { DispatchError, type IpcDispatcher } from './ipc-dispatcher.js';
import { DESKTOP_API, DESKTOP_PATH, NOTICE_EVENT, type SandboxNotice } from './wire.js';

/** The renderer's own policy, plus same-origin requests for the bridge. */
export const DESKTOP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const HEADERS = {
  'content-security-policy': DESKTOP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const MAX_REQUEST_BYTES = 64 * 1024;

export interface DesktopViewDeps {
  assets: ReadonlyMap<string, DesktopAsset>;
  dispatcher: IpcDispatcher;
  getState(): AppState;
  /** A handoff's permalink when it points at the sandbox's own Slack emulator page, else null. */
  sandboxPermalink(handoffId: string): Promise<string | null>;
}

export interface DesktopView {
  handle: FallbackHandler;
  pushState(state: AppState): void;
  pushNotice(notice: SandboxNotice): void;
  /** Ends the open streams. */
  close(): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Only this origin's pages may call: JSON (a cross-site form cannot send it without a preflight) and a matching Origin. */
function sameOrigin(req: IncomingMessage): boolean {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createDesktopView(deps: DesktopViewDeps): DesktopView {
  const streams = new Set<ServerResponse>();

  function broadcast(chunk: string): void {
    for (const res of streams) res.write(chunk);
  }

  async function call(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (!sameOrigin(req)) return sendJson(res, 403, { error: 'forbidden' });
    const raw = await readBody(req);
    if (raw === null) return sendJson(res, 413, { error: 'payload_too_large' });
    let request: unknown;
    try {
      request = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return sendJson(res, 400, { error: 'invalid_payload' });
    }
    if (channel === 'handoff:open-slack') {
      // The controller opens only https://*.slack.com; the emulator's permalinks point at this page.
      const parsed = ipcContract['handoff:open-slack'].request.safeParse(request);
      const link = parsed.success ? await deps.sandboxPermalink(parsed.data.id) : null;
      if (link) return sendJson(res, 200, { result: { ok: true, data: {} }, open: link });
    }
    try {
      const { result, opened } = await deps.dispatcher.invoke(channel, request);
      sendJson(res, 200, opened ? { result, open: opened } : { result });
    } catch (err) {
      if (err instanceof DispatchError) return sendJson(res, err.code === 'unknown_channel' ? 404 : 400, { error: err.code });
      sendJson(res, 500, { error: 'internal_error' });
    }
  }

  function openStream(res: ServerResponse): void {
    res.writeHead(200, { ...HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    res.write(`retry: 1000\n\n${sse(IPC_STATE_CHANGED, deps.getState())}`);
    streams.add(res);
    res.on('close', () => streams.delete(res));
  }

  const handle: FallbackHandler = async (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (!path.startsWith('/desktop')) return false;
    const api = path.startsWith(`${DESKTOP_API}/`) ? path.slice(DESKTOP_API.length + 1) : null;
    if (method === 'POST' && api !== null) {
      await call(req, res, api);
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/desktop') {
      res.writeHead(302, { ...HEADERS, location: DESKTOP_PATH }).end();
      return true;
    }
    if (api === 'events') {
      openStream(res);
      return true;
    }
    const name = path === DESKTOP_PATH ? 'index.html' : path.slice(DESKTOP_PATH.length);
    const asset = deps.assets.get(name);
    if (!asset) return false;
    res.writeHead(200, { ...HEADERS, 'content-type': asset.type, 'content-length': asset.body.length });
    res.end(method === 'HEAD' ? undefined : asset.body);
    return true;
  };

  return {
    handle,
    pushState: (state) => broadcast(sse(IPC_STATE_CHANGED, state)),
    pushNotice: (notice) => broadcast(sse(NOTICE_EVENT, notice)),
    close() {
      for (const res of streams) res.destroy();
      streams.clear();
    },
  };
}
