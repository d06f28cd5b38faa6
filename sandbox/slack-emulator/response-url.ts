// What a post to a response_url does (Slack "Handling interaction responses"):
// delete or replace the source message, post in the channel, or (default)
// show an ephemeral message to the user who interacted.
import { checkContent } from './methods/content.js';
import { ArgError } from './methods/params.js';
import type { ResponseUrlTarget } from './state.js';
import type { EmulatorState } from './state.js';
import type { JsonObject } from './types.js';

export type ResponseAction =
  | { kind: 'delete'; channel: string; ts: string }
  | { kind: 'replace'; channel: string; ts: string; text?: string; blocks?: JsonObject[] }
  | { kind: 'in_channel'; channel: string; text: string; blocks: JsonObject[]; thread_ts?: string }
  | { kind: 'ephemeral'; channel: string; user: string; text: string; blocks: JsonObject[]; thread_ts?: string };

function flag(v: unknown): boolean {
  return v === true || v === 'true';
}

/** Decide what a response_url body asks for. Throws ArgError for content Slack would refuse. */
export function decideResponse(body: Record<string, unknown>, target: ResponseUrlTarget): ResponseAction {
  if (flag(body.delete_original)) {
    if (!target.messageTs) throw new ArgError('no_original_message');
    return { kind: 'delete', channel: target.channel, ts: target.messageTs };
  }
  let blocks: unknown = body.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      throw new ArgError('invalid_blocks_format');
    }
  }
  const content = checkContent(body.text, blocks);
  if (flag(body.replace_original)) {
    if (!target.messageTs) throw new ArgError('no_original_message');
    const action: ResponseAction = { kind: 'replace', channel: target.channel, ts: target.messageTs };
    if (content.text !== undefined) action.text = content.text;
    if (content.blocks !== undefined) action.blocks = content.blocks;
    return action;
  }
  if (!content.text && (content.blocks === undefined || content.blocks.length === 0)) throw new ArgError('no_text');
  const threadTs = typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {};
  const text = content.text ?? '';
  const blocksOut = content.blocks ?? [];
  if (body.response_type === 'in_channel') {
    return { kind: 'in_channel', channel: target.channel, text, blocks: blocksOut, ...threadTs };
  }
  return { kind: 'ephemeral', channel: target.channel, user: target.user, text, blocks: blocksOut, ...threadTs };
}

export function applyResponse(state: EmulatorState, action: ResponseAction): void {
  switch (action.kind) {
    case 'delete':
      state.deleteMessage(action.channel, action.ts);
      break;
    case 'replace': {
      const change: { text?: string; blocks?: JsonObject[] } = {};
      if (action.text !== undefined) change.text = action.text;
      if (action.blocks !== undefined) change.blocks = action.blocks;
      state.updateMessage(action.channel, action.ts, change);
      break;
    }
    case 'in_channel':
      state.postMessage({
        channel: action.channel,
        text: action.text,
        blocks: action.blocks,
        ...(action.thread_ts ? { thread_ts: action.thread_ts } : {}),
      });
      break;
    case 'ephemeral':
      state.postEphemeral({
        channel: action.channel,
        user: action.user,
        text: action.text,
        blocks: action.blocks,
        via: 'response_url',
        ...(action.thread_ts ? { thread_ts: action.thread_ts } : {}),
      });
      break;
  }
}
