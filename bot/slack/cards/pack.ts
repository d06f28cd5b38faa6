import { type MessageBlock, mrkdwn } from './blocks.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';

/**
 * Packs lines, in order, into at most `maxSections` groups whose joined text
 * (`\n` between lines) stays within a section's text limit. Stops at the first
 * line that no longer fits, so what is shown is always a prefix; `hidden`
 * counts the rest. Each line must already be shorter than the limit.
 */
export function packLines(
  lines: readonly string[],
  maxSections: number,
  limit: number = BLOCK_KIT_LIMITS.sectionText,
): { groups: string[][]; hidden: number } {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  let shown = 0;
  for (const line of lines) {
    const added = current.length === 0 ? line.length : length + 1 + line.length;
    if (added <= limit) {
      current.push(line);
      length = added;
    } else {
      if (groups.length + 1 >= maxSections || line.length > limit) break;
      groups.push(current);
      current = [line];
      length = line.length;
    }
    shown += 1;
  }
  if (current.length > 0) groups.push(current);
  return { groups, hidden: lines.length - shown };
}

/** Sections `${prefix}_0…` for packed lines, then a context line for what did not fit. */
export function packedSections(
  lines: readonly string[],
  opts: { maxSections: number; blockIdPrefix: string; moreBlockId: string; more: (hidden: number) => string },
): MessageBlock[] {
  const { groups, hidden } = packLines(lines, opts.maxSections);
  const blocks: MessageBlock[] = groups.map((group, i) => ({
    type: 'section',
    block_id: `${opts.blockIdPrefix}_${i}`,
    text: mrkdwn(group.join('\n')),
  }));
  if (hidden > 0) blocks.push({ type: 'context', block_id: opts.moreBlockId, elements: [mrkdwn(opts.more(hidden))] });
  return blocks;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
