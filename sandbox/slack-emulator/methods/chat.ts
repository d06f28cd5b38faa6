import type { StoredMessage } from '../types.js';
import { checkContent } from './content.js';
import type { MethodContext, MethodHandler } from './context.js';
import { ArgError, blocksArg, metadataArg, str } from './params.js';

/** The message object Slack returns from chat.postMessage / chat.update. */
export function messageView(m: StoredMessage, withMetadata = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: m.type,
    user: m.user,
    bot_id: m.bot_id,
    app_id: m.app_id,
    text: m.text,
    ts: m.ts,
    team: m.team,
    blocks: m.blocks,
  };
  if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
  if (m.reply_count !== undefined) out.reply_count = m.reply_count;
  if (m.latest_reply !== undefined) out.latest_reply = m.latest_reply;
  if (m.edited !== undefined) out.edited = m.edited;
  if (withMetadata && m.metadata !== undefined) out.metadata = m.metadata;
  return out;
}

function channelArg(params: Record<string, unknown>, ctx: MethodContext): string {
  const raw = str(params, 'channel');
  const id = raw === undefined ? undefined : ctx.state.resolveChannel(raw);
  if (id === undefined) throw new ArgError('channel_not_found');
  return id;
}

export const chatPostMessage: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const { text, blocks } = checkContent(params.text === '' ? undefined : params.text, blocksArg(params));
  if ((text === undefined || text.length === 0) && (blocks === undefined || blocks.length === 0) && params.attachments === undefined) {
    throw new ArgError('no_text');
  }
  const metadata = metadataArg(params);
  let threadTs = str(params, 'thread_ts');
  if (threadTs !== undefined) {
    const parent = ctx.state.getMessage(channel, threadTs);
    if (!parent) throw new ArgError('thread_not_found');
    // Replying to a reply lands in the parent's thread, as in Slack.
    threadTs = parent.thread_ts ?? parent.ts;
  }
  const message = ctx.state.postMessage({
    channel,
    text: text ?? '',
    blocks: blocks ?? [],
    ...(metadata ? { metadata } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, channel, ts: message.ts, message: messageView(message) };
};

export const chatUpdate: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const ts = str(params, 'ts');
  const existing = ts === undefined ? undefined : ctx.state.getMessage(channel, ts);
  if (ts === undefined || !existing) throw new ArgError('message_not_found');
  if (existing.bot_id !== ctx.state.bot.botId) throw new ArgError('cant_update_message');
  const { text, blocks } = checkContent(params.text, blocksArg(params));
  const metadata = metadataArg(params);
  if (text === undefined && blocks === undefined && metadata === undefined) throw new ArgError('no_text');
  const updated = ctx.state.updateMessage(channel, ts, {
    ...(text !== undefined ? { text } : {}),
    ...(blocks !== undefined ? { blocks } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  });
  if (!updated) throw new ArgError('message_not_found');
  return { ok: true, channel, ts, text: updated.text, message: messageView(updated) };
};

export const chatDelete: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const ts = str(params, 'ts');
  if (ts === undefined || !ctx.state.deleteMessage(channel, ts)) throw new ArgError('message_not_found');
  return { ok: true, channel, ts };
};

export const chatPostEphemeral: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const user = str(params, 'user');
  if (user === undefined || !ctx.state.user(user)) throw new ArgError('user_not_found');
  const { text, blocks } = checkContent(params.text === '' ? undefined : params.text, blocksArg(params));
  if ((text === undefined || text.length === 0) && (blocks === undefined || blocks.length === 0)) throw new ArgError('no_text');
  const threadTs = str(params, 'thread_ts');
  const ephemeral = ctx.state.postEphemeral({
    channel,
    user,
    text: text ?? '',
    blocks: blocks ?? [],
    via: 'api',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: ephemeral.ts };
};

export const chatGetPermalink: MethodHandler = (params, ctx) => {
  const channel = channelArg(params, ctx);
  const ts = str(params, 'message_ts');
  if (ts === undefined || !ctx.state.getMessage(channel, ts)) throw new ArgError('message_not_found');
  return { ok: true, channel, permalink: ctx.permalink(channel, ts) };
};
