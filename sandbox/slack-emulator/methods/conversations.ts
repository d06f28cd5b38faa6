import type { EmulatorChannel, StoredMessage } from '../types.js';
import { tsToMicros } from '../state.js';
import { messageView } from './chat.js';
import type { MethodContext, MethodHandler } from './context.js';
import { ArgError, bool, int, str } from './params.js';

// Slack's cursors are base64 of "next_ts:<ts digits>": the first message of the next page.
export function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts.replace('.', '')}`).toString('base64');
}

export function decodeCursor(cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const m = /^next_ts:(\d+)$/.exec(decoded);
  if (!m?.[1]) throw new ArgError('invalid_cursor');
  return Number(m[1]);
}

function channelArg(params: Record<string, unknown>, ctx: MethodContext): string {
  const raw = str(params, 'channel');
  // Reading methods take ids only; names are not resolved.
  const id = raw === undefined ? undefined : ctx.state.resolveChannel(raw);
  if (id === undefined || id !== raw) throw new ArgError('channel_not_found');
  return id;
}

function timeBound(params: Record<string, unknown>, key: string): number | undefined {
  const v = str(params, key);
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new ArgError('invalid_ts_' + key);
  return tsToMicros(v);
}

export interface PageRequest {
  limit: number;
  cursorMicros?: number;
  oldestMicros?: number;
  latestMicros?: number;
  inclusive: boolean;
}

/** Pure paging of history: newest first, within (oldest, latest), starting at the cursor. */
export function pageHistory(all: StoredMessage[], req: PageRequest): { page: StoredMessage[]; nextTs?: string } {
  const within = all
    .filter((m) => {
      const t = tsToMicros(m.ts);
      if (req.oldestMicros !== undefined && (req.inclusive ? t < req.oldestMicros : t <= req.oldestMicros)) return false;
      if (req.latestMicros !== undefined && (req.inclusive ? t > req.latestMicros : t >= req.latestMicros)) return false;
      if (req.cursorMicros !== undefined && t > req.cursorMicros) return false;
      return true;
    })
    .sort((a, b) => tsToMicros(b.ts) - tsToMicros(a.ts));
  const page = within.slice(0, req.limit);
  const next = within[req.limit];
  return next ? { page, nextTs: next.ts } : { page };
}

function limitArg(params: Record<string, unknown>): number {
  const limit = int(params, 'limit') ?? 100;
  if (limit < 1) throw new ArgError('invalid_limit');
  return Math.min(limit, 999);
}

export const conversationsHistory: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const cursor = str(params, 'cursor');
  const req: PageRequest = { limit: limitArg(params), inclusive: bool(params, 'inclusive') };
  if (cursor !== undefined) req.cursorMicros = decodeCursor(cursor);
  const oldest = timeBound(params, 'oldest');
  const latest = timeBound(params, 'latest');
  if (oldest !== undefined) req.oldestMicros = oldest;
  if (latest !== undefined) req.latestMicros = latest;
  const { page, nextTs } = pageHistory(ctx.state.topLevel(channel), req);
  // Slack returns message metadata only when asked with include_all_metadata.
  const withMetadata = bool(params, 'include_all_metadata');
  return {
    ok: true,
    messages: page.map((m) => messageView(m, withMetadata)),
    has_more: nextTs !== undefined,
    pin_count: 0,
    response_metadata: { next_cursor: nextTs ? encodeCursor(nextTs) : '' },
  };
};

export const conversationsReplies: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const ts = str(params, 'ts');
  const thread = ts === undefined ? [] : ctx.state.thread(channel, ts);
  if (thread.length === 0) throw new ArgError('thread_not_found');
  const limit = limitArg(params);
  const withMetadata = bool(params, 'include_all_metadata');
  return {
    ok: true,
    messages: thread.slice(0, limit).map((m) => messageView(m, withMetadata)),
    has_more: thread.length > limit,
    response_metadata: { next_cursor: '' },
  };
};

function channelObject(c: EmulatorChannel): Record<string, unknown> {
  return { id: c.id, name: c.name, is_channel: true, is_private: false, is_archived: false, is_member: true };
}

export const conversationsInfo: MethodHandler = (params, ctx) => {
  const id = channelArg(params, ctx);
  const channel = ctx.state.channel(id);
  if (!channel) throw new ArgError('channel_not_found');
  return { ok: true, channel: channelObject(channel) };
};

export const conversationsList: MethodHandler = (_params, ctx) => ({
  ok: true,
  channels: ctx.state.listChannels().map(channelObject),
  response_metadata: { next_cursor: '' },
});
