/**
 * A real loopback HTTP server that speaks the bot's desktop API (pairing, SSE event
 * stream with Last-Event-ID, REST actions), for tests of the desktop core. Tests only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventType } from '../../../shared/schemas/enums.js';
import type { HandoffEvent, HandoffView } from '../../../shared/schemas/handoff-view.js';

export interface FakeBot {
  url: string;
  token: string;
  /** Every event published so far, in seq order. */
  events: HandoffEvent[];
  /** `Last-Event-ID` header of each /v1/events request (null when absent). */
  streamRequests: (string | null)[];
  actionRequests: { id: string; action: string; auth: string | undefined }[];
  publish(view: HandoffView, type?: EventType): HandoffEvent;
  /** Changes what GET /v1/handoffs/:id answers without an event (the bot posted the Slack card). */
  setView(view: HandoffView): void;
  /** Each connection is cut after this many events, in the middle of the next one. */
  dropAfter: number | null;
  /** Ignore Last-Event-ID and replay everything (a server that lost its cursor). */
  ignoreLastEventId: boolean;
  /** Next /v1/events requests answer with this status instead of streaming. */
  failStreamWith: number[];
  pairingCode: string;
  usedCodes: Set<string>;
  openStreams(): number;
  /** Cuts every open stream (the client should reconnect). */
  dropStreams(): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

function frame(e: HandoffEvent): string {
  return `id: ${e.seq}\nevent: handoff\ndata: ${JSON.stringify(e)}\n\n`;
}

export async function startFakeBot(opts: { token?: string; pairingCode?: string } = {}): Promise<FakeBot> {
  const streams = new Set<{ res: ServerResponse; sent: number }>();
  const views = new Map<string, HandoffView>();
  let seq = 0;

  const bot: FakeBot = {
    url: '',
    token: opts.token ?? 'tok_secret_value',
    events: [],
    streamRequests: [],
    actionRequests: [],
    dropAfter: null,
    ignoreLastEventId: false,
    failStreamWith: [],
    pairingCode: opts.pairingCode ?? 'ABC123',
    usedCodes: new Set(),
    publish(v, type = 'handoff.received') {
      seq++;
      views.set(v.id, v);
      const e: HandoffEvent = { seq, type, handoff_id: v.id, at: new Date().toISOString(), actor: null, handoff: v };
      bot.events.push(e);
      for (const s of streams) send(s, e);
      return e;
    },
    setView: (v) => void views.set(v.id, v),
    openStreams: () => streams.size,
    dropStreams: () => {
      for (const s of streams) s.res.destroy();
      streams.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of streams) s.res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function send(s: { res: ServerResponse; sent: number }, e: HandoffEvent): void {
    if (bot.dropAfter !== null && s.sent >= bot.dropAfter) {
      const text = frame(e);
      streams.delete(s);
      // Half an event, then the line dies (after the bytes are flushed, so the client sees them).
      s.res.write(text.slice(0, Math.floor(text.length / 2)), () => setTimeout(() => s.res.destroy(), 5));
      return;
    }
    s.res.write(frame(e));
    s.sent++;
  }

  const authorized = (req: IncomingMessage): boolean => req.headers.authorization === `Bearer ${bot.token}`;

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'POST' && url.pathname === '/v1/desktop/pair') {
        const body = JSON.parse((await readBody(req)) || '{}') as { code?: string };
        if (body.code !== bot.pairingCode || bot.usedCodes.has(body.code)) {
          return json(res, 401, { error: 'invalid_pairing_code', message: 'The pairing code is invalid or expired.' });
        }
        bot.usedCodes.add(body.code);
        return json(res, 200, { token: bot.token, user_id: 'U0OWNER' });
      }
      if (!authorized(req)) return json(res, 401, { error: 'unauthorized', message: 'Missing or invalid token.' });
      if (req.method === 'GET' && url.pathname === '/v1/events') {
        const last = req.headers['last-event-id'];
        const lastId = typeof last === 'string' ? last : null;
        bot.streamRequests.push(lastId);
        const failure = bot.failStreamWith.shift();
        if (failure !== undefined) return json(res, failure, { error: 'unavailable', message: 'Try later.' });
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
        res.write(': ping\n\n');
        const s = { res, sent: 0 };
        streams.add(s);
        req.on('close', () => streams.delete(s));
        const after = bot.ignoreLastEventId || lastId === null ? 0 : Number(lastId);
        for (const e of bot.events) if (e.seq > after && streams.has(s)) send(s, e);
        return;
      }
      const m = /^\/v1\/handoffs\/([^/]+)(?:\/(claim|escalate|resolve))?$/.exec(url.pathname);
      if (m) {
        const id = decodeURIComponent(m[1] ?? '');
        const current = views.get(id);
        if (!current) return json(res, 404, { error: 'not_found', message: 'No such handoff.' });
        if (req.method === 'GET' && !m[2]) return json(res, 200, current);
        if (req.method === 'POST' && m[2]) {
          await readBody(req);
          bot.actionRequests.push({ id, action: m[2], auth: req.headers.authorization });
          if (current.status === 'resolved' || (m[2] === 'claim' && current.status === 'claimed')) {
            return json(res, 409, { error: 'conflict', message: `Already ${current.status}.` });
          }
          const at = new Date().toISOString();
          const next: HandoffView =
            m[2] === 'claim'
              ? { ...current, status: 'claimed', claimed_by: 'U0OWNER', claimed_at: at }
              : m[2] === 'resolve'
                ? { ...current, status: 'resolved', resolved_by: 'U0OWNER', resolved_at: at }
                : { ...current, escalation_level: current.escalation_level + 1, last_escalated_by: 'U0OWNER' };
          bot.publish(next, m[2] === 'claim' ? 'handoff.claimed' : m[2] === 'resolve' ? 'handoff.resolved' : 'handoff.escalated');
          return json(res, 200, next);
        }
      }
      json(res, 404, { error: 'not_found', message: 'Not found.' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bot.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return bot;
}
