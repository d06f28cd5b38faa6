import { handoffEventSchema, type HandoffEvent } from '../../shared/schemas/handoff-view.js';
import type { Harness } from './harness.js';
import { until } from './until.js';

/** Asks the bot for a pairing code the way a person does: `/handoff desktop` through the emulator. */
export async function pairingCodeFor(h: Harness, user: string): Promise<string> {
  const answer = await h.slack.sendSlashCommand({ user, channel: 'C0CLINIC01', text: 'desktop' });
  if (answer.status !== 200) throw new Error(`slash command answered ${answer.status}`);
  const match = /\*([A-Z0-9]{4}-[A-Z0-9]{4})\*/.exec(answer.body);
  if (!match?.[1]) throw new Error('no pairing code in the ephemeral answer');
  return match[1];
}

export async function pair(baseUrl: string, code: string, deviceName?: string): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${baseUrl}/v1/desktop/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(deviceName ? { code, device_name: deviceName } : { code }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export async function pairedToken(h: Harness, user: string): Promise<string> {
  const res = await pair(h.bot.url, await pairingCodeFor(h, user), 'test laptop');
  if (res.status !== 200) throw new Error(`pairing failed: ${res.status}`);
  return res.json.token as string;
}

export async function api(baseUrl: string, method: string, path: string, token: string | null): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

export interface RawSseClient {
  status: number;
  headers: Headers;
  /** Every `handoff` message so far, parsed and checked against the shared schema. */
  events: HandoffEvent[];
  /** The `id:` of each message, in order. */
  ids: string[];
  comments: string[];
  /** True once the server ended the stream. */
  ended: boolean;
  /** Resolves with the first event (already received or future) matching `match`. */
  waitFor(match: (e: HandoffEvent) => boolean, timeoutMs?: number): Promise<HandoffEvent>;
  close(): void;
}

/**
 * A deliberately plain SSE reader over fetch (independent of the desktop's parser): splits on blank
 * lines and reads `id`, `event`, `data` and comment lines.
 */
export async function openRawSse(baseUrl: string, token: string, opts: { lastEventId?: string; query?: string } = {}): Promise<RawSseClient> {
  const ac = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (opts.lastEventId !== undefined) headers['last-event-id'] = opts.lastEventId;
  const res = await fetch(`${baseUrl}/v1/events${opts.query ?? ''}`, { headers, signal: ac.signal });
  const client: RawSseClient = {
    status: res.status,
    headers: res.headers,
    events: [],
    ids: [],
    comments: [],
    ended: false,
    waitFor: (match, timeoutMs = 3000) => until(() => client.events.find(match), timeoutMs),
    close: () => ac.abort(),
  };
  if (!res.ok || !res.body) return client;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          client.ended = true;
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id: string | null = null;
          let event = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (event === 'handoff') {
            client.events.push(handoffEventSchema.parse(JSON.parse(data)));
            client.ids.push(id ?? '');
          }
        }
      }
    } catch {
      // aborted by close(), or cut by the server
      client.ended = true;
    }
  })();
  return client;
}
