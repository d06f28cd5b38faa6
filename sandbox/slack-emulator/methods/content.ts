// Message content checks shared by chat.* and response_url: Block Kit limits,
// Slack's 40,000-character text limit, and the ids Slack fills in.
import { randomBytes } from 'node:crypto';
import { BLOCK_KIT_LIMITS, validateBlocks } from '../block-kit-limits.js';
import type { JsonObject } from '../types.js';
import { ArgError } from './params.js';

export interface MessageContent {
  text: string | undefined;
  blocks: JsonObject[] | undefined;
}

export function checkContent(text: unknown, blocks: unknown): MessageContent {
  if (text !== undefined && typeof text !== 'string') throw new ArgError('invalid_arguments', ['text must be a string']);
  if (text !== undefined && [...text].length > BLOCK_KIT_LIMITS.messageText) throw new ArgError('msg_too_long');
  if (blocks === undefined) return { text, blocks: undefined };
  if (!Array.isArray(blocks)) throw new ArgError('invalid_blocks_format', ['blocks must be an array']);
  const problems = validateBlocks(blocks, 'message');
  if (problems.length > 0) throw new ArgError('invalid_blocks', problems);
  return { text, blocks: withGeneratedIds(blocks as JsonObject[]) };
}

function shortId(): string {
  return randomBytes(3).toString('base64url');
}

/** Slack stores a block_id on every block and an action_id on every interactive element. */
function withGeneratedIds(blocks: JsonObject[]): JsonObject[] {
  return blocks.map((block) => {
    const copy: JsonObject = structuredClone(block);
    if (copy.block_id === undefined) copy.block_id = shortId();
    const fill = (el: unknown): void => {
      if (typeof el === 'object' && el !== null && !Array.isArray(el)) {
        const e = el as JsonObject;
        if (e.type !== 'image' && e.type !== 'plain_text' && e.type !== 'mrkdwn' && e.action_id === undefined) e.action_id = shortId();
      }
    };
    if (copy.type === 'actions' && Array.isArray(copy.elements)) copy.elements.forEach(fill);
    if (copy.type === 'section' && copy.accessory !== undefined) fill(copy.accessory);
    if (copy.type === 'input' && copy.element !== undefined) fill(copy.element);
    return copy;
  });
}
