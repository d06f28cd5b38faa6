import { HANDOFF_ID_PATTERN } from '../../domain/ids.js';

export type HandoffCommand =
  | { kind: 'status' }
  | { kind: 'status_one'; handoffId: string }
  | { kind: 'mine' }
  | { kind: 'help' }
  | { kind: 'desktop' }
  | { kind: 'desktop_revoke' }
  | { kind: 'unknown'; word: string };

/** `/handoff <text>`: the subcommands of SPEC section 5. */
export function parseHandoffCommand(text: string): HandoffCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = 'help', second] = words.map((w) => w.toLowerCase());
  if (first === 'status') {
    if (!second) return { kind: 'status' };
    const id = words[1]!;
    return HANDOFF_ID_PATTERN.test(id) ? { kind: 'status_one', handoffId: id } : { kind: 'unknown', word: 'status' };
  }
  if (first === 'mine') return { kind: 'mine' };
  if (first === 'help') return { kind: 'help' };
  if (first === 'desktop') return second === 'revoke' ? { kind: 'desktop_revoke' } : { kind: 'desktop' };
  if (HANDOFF_ID_PATTERN.test(words[0] ?? '')) return { kind: 'status_one', handoffId: words[0]! };
  return { kind: 'unknown', word: first.slice(0, 30) };
}
