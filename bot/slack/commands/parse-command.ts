import { HANDOFF_ID_PATTERN } from '../../domain/ids.js';

export type HandoffCommand =
  | { kind: 'status' }
  | { kind: 'status_one'; handoffId: string }
  | { kind: 'mine' }
  | { kind: 'help' }
  | { kind: 'desktop' }
  | { kind: 'desktop_revoke' }
  | { kind: 'stats'; days: 7 | 30; workflowId: string | null }
  | { kind: 'stats_bad_period'; word: string }
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
  if (first === 'stats') return parseStats(words.slice(1).map((w) => w.toLowerCase()));
  if (first === 'mine') return { kind: 'mine' };
  if (first === 'help') return { kind: 'help' };
  if (first === 'desktop') return second === 'revoke' ? { kind: 'desktop_revoke' } : { kind: 'desktop' };
  if (HANDOFF_ID_PATTERN.test(words[0] ?? '')) return { kind: 'status_one', handoffId: words[0]! };
  return { kind: 'unknown', word: first.slice(0, 30) };
}

/** `stats [7d|30d] [workflow]`, in either order; another period like `90d` is refused by name. */
function parseStats(args: string[]): HandoffCommand {
  let days: 7 | 30 = 7;
  let workflowId: string | null = null;
  for (const arg of args.slice(0, 2)) {
    if (arg === '7d' || arg === '30d') days = arg === '7d' ? 7 : 30;
    else if (/^\d+[a-z]?$/.test(arg)) return { kind: 'stats_bad_period', word: arg.slice(0, 10) };
    else workflowId = arg.slice(0, 64);
  }
  return { kind: 'stats', days, workflowId };
}
