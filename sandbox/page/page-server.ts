// The sandbox page's HTTP side, served from the Slack emulator's origin (its
// `fallback`): static files, the sample-handoff sender (signs with the
// sandbox secret and POSTs to the real bot), and the outbound SMS/callback feed.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { HandoffConfig } from '../../bot/config/load-config.js';
import { signWebhook } from '../../shared/standard-webhooks.js';
import type { CallbackReceiver } from '../fakes/callback-receiver.js';
import type { TwilioFake } from '../fakes/twilio-fake.js';
import type { FallbackHandler, SlackEmulator } from '../slack-emulator/index.js';
import { describeWorkflows, prepareHandoffBody, summariseCallbacks, summariseCalls, summariseSms } from './page-model.js';
import { sendAsVoicePlatform, type VoiceSendRequest } from './voice-sender.js';
import type { VoiceSecrets } from '../fakes/voice-platforms.js';

export const PAGE_TITLE = 'Handoff sandbox';

/** `connect-src 'self'`: the page only talks to this origin (emulator control routes and ours). */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const MAX_FORM_BYTES = 1024 * 1024;

export interface PageDeps {
  /** The bot's base URL (no trailing slash); read per request because the bot starts after the emulator. */
  botUrl: () => string;
  webhookSecret: string;
  /** Where sample handoffs' status callbacks go (the local receiver). */
  callbackUrl: string;
  config: HandoffConfig;
  /** Slack user group ids the page shows by name (the emulator has no user groups). */
  usergroups: Record<string, string>;
  twilio: Pick<TwilioFake, 'messages' | 'calls' | 'onChange'>;
  callbacks: Pick<CallbackReceiver, 'received' | 'onChange'>;
  /** The Slack emulator, once started (the page is its fallback handler, so it exists first). */
  emulator?: () => Pick<SlackEmulator, 'state' | 'onChange'> | null;
  /** `/handoff` subcommands for the composer's autocomplete. */
  commands?: readonly { example: string; text: string }[];
  clock?: () => number;
  fetch?: typeof fetch;
  publicDir?: string;
  /** The voice platforms' secrets the bot was given: "Send as a voice platform" signs with them. */
  voice?: VoiceSecrets;
}

export interface PageHandler {
  handle: FallbackHandler;
  /** Ends the open outbound-event streams. */
  close(): void;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

async function readLimited(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createPageHandler(deps: PageDeps): PageHandler {
  const publicDir = deps.publicDir ?? join(import.meta.dirname, 'public');
  const clock = deps.clock ?? Date.now;
  const doFetch = deps.fetch ?? fetch;
  // A fixed allow-list read once: no request path ever reaches the file system.
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(publicDir)) {
    if (TYPES[extname(name)]) files.set(name, readFileSync(join(publicDir, name)));
  }
  const streams = new Set<ServerResponse>();
  const setup = {
    title: PAGE_TITLE,
    workflows: describeWorkflows(deps.config),
    usergroups: deps.usergroups,
    callbackUrl: deps.callbackUrl,
    commands: deps.commands ?? [],
  };
  const outbound = () => ({
    sms: summariseSms(deps.twilio.messages),
    calls: summariseCalls(deps.twilio.calls),
    callbacks: summariseCallbacks(deps.callbacks.received),
  });

  function serveFile(res: ServerResponse, name: string): boolean {
    const body = files.get(name);
    if (!body) return false;
    send(res, 200, body, TYPES[extname(name)] ?? 'application/octet-stream');
    return true;
  }

  async function sendHandoff(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // JSON only: a cross-site form cannot send it without a CORS preflight we never answer.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendJson(res, 415, { error: 'unsupported_media_type', message: 'send application/json' });
      return;
    }
    const raw = await readLimited(req);
    if (raw === null) {
      sendJson(res, 413, { error: 'payload_too_large', message: 'the sandbox form accepts up to 1 MiB' });
      return;
    }
    let request: { handoff?: unknown; webhook_id?: unknown };
    try {
      request = JSON.parse(raw) as typeof request;
    } catch {
      sendJson(res, 400, { error: 'invalid_json', message: 'the sandbox form sent invalid JSON' });
      return;
    }
    const webhookId = typeof request.webhook_id === 'string' && request.webhook_id !== '' ? request.webhook_id : `msg_${randomUUID()}`;
    const body = JSON.stringify(prepareHandoffBody(request.handoff, deps.callbackUrl));
    const headers = { 'content-type': 'application/json', ...signWebhook(deps.webhookSecret, webhookId, clock() / 1000, body) };
    try {
      const answer = await doFetch(`${deps.botUrl()}/v1/handoffs`, { method: 'POST', headers, body });
      const text = await answer.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // Shown as text.
      }
      sendJson(res, 200, { status: answer.status, replayed: answer.headers.get('idempotent-replayed') === 'true', webhook_id: webhookId, body: json, sent: JSON.parse(body) as unknown });
    } catch {
      sendJson(res, 502, { error: 'bot_unreachable', message: 'the bot did not answer' });
    }
  }

  /**
   * The page's ONE live connection: the emulator's workspace (a snapshot, then changes) and the
   * outbound feed on one stream. Browsers allow six connections per host; with two per tab, three
   * tabs and the desktop view left none for the requests a click makes.
   */
  function openPageStream(res: ServerResponse): void {
    const emulator = deps.emulator?.() ?? null;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    const pushOutbound = () => res.write(`event: outbound\ndata: ${JSON.stringify(outbound())}\n\n`);
    if (emulator) res.write(`event: state\ndata: ${JSON.stringify(emulator.state.snapshot())}\n\n`);
    pushOutbound();
    const offs = [
      deps.twilio.onChange(pushOutbound),
      deps.callbacks.onChange(pushOutbound),
      emulator ? emulator.onChange((event) => res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`)) : () => undefined,
    ];
    streams.add(res);
    res.on('close', () => {
      for (const off of offs) off();
      streams.delete(res);
    });
  }

  function openOutboundStream(res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    const push = () => res.write(`event: outbound\ndata: ${JSON.stringify(outbound())}\n\n`);
    push();
    const offSms = deps.twilio.onChange(push);
    const offCallbacks = deps.callbacks.onChange(push);
    streams.add(res);
    res.on('close', () => {
      offSms();
      offCallbacks();
      streams.delete(res);
    });
  }

  const handle: FallbackHandler = async (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/sandbox/api/handoffs') {
      await sendHandoff(req, res);
      return true;
    }
    if (method === 'POST' && path === '/sandbox/api/voice' && deps.voice) {
      const raw = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json') ? await readLimited(req) : null;
      let request: VoiceSendRequest = {};
      try {
        request = raw === null ? {} : (JSON.parse(raw) as VoiceSendRequest);
      } catch {
        // answered 400 below
      }
      try {
        const out = await sendAsVoicePlatform(deps.botUrl(), deps.voice, deps.config, request);
        sendJson(res, out.status, out.body);
      } catch {
        sendJson(res, 502, { error: 'bot_unreachable', message: 'the bot did not answer' });
      }
      return true;
    }
    if (method === 'GET' && /^\/[vh]\/[^/]*$/.test(path)) {
      await forwardToBot(deps.botUrl(), path, req, res);
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') return false;
    if (path === '/' || path === '/index.html') return serveFile(res, 'index.html');
    const asset = /^\/static\/([a-z0-9-]+\.(?:js|css|svg))$/.exec(path);
    if (asset?.[1]) return serveFile(res, asset[1]);
    if (path === '/sandbox/api/setup') {
      sendJson(res, 200, setup);
      return true;
    }
    if (path === '/sandbox/api/outbound') {
      sendJson(res, 200, outbound());
      return true;
    }
    if (path === '/sandbox/api/events') {
      openPageStream(res);
      return true;
    }
    if (path === '/sandbox/api/outbound/events') {
      openOutboundStream(res);
      return true;
    }
    // Slack permalinks the emulator hands out (`/archives/C…/p…`) open the message on the page.
    const permalink = /^\/archives\/([A-Z0-9]+)\/p(\d{7,})$/.exec(path);
    if (permalink?.[1] && permalink[2]) {
      const digits = permalink[2];
      const ts = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
      res.writeHead(302, { ...SECURITY_HEADERS, location: `/#${permalink[1]}/${ts}` });
      res.end();
      return true;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS).end();
      return true;
    }
    return false;
  };

  return {
    handle,
    close() {
      for (const res of streams) res.destroy();
      streams.clear();
    },
  };
}

/** What the bot's pages answer with, passed through as it is (the Details page sets its own CSP and cookie). */
const FORWARDED_HEADERS = ['content-type', 'cache-control', 'pragma', 'referrer-policy', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'set-cookie', 'location'];

/**
 * `GET /v/{token}` and `GET /h/{id}`: nothing in the sandbox is public, so the page's origin stands for
 * the bot's HANDOFF_PUBLIC_URL and hands a link_only workflow's Details links (cookie and all) and the
 * SMS card links to the bot.
 */
async function forwardToBot(botUrl: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const answer = await fetch(`${botUrl}${path}`, { headers: req.headers.cookie ? { cookie: req.headers.cookie } : {}, redirect: 'manual' });
    const headers: Record<string, string | string[]> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = name === 'set-cookie' ? answer.headers.getSetCookie() : answer.headers.get(name);
      if (value !== null && value.length > 0) headers[name] = value;
    }
    res.writeHead(answer.status, headers);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('The bot did not answer.');
  }
}
