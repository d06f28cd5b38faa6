import { HANDOFF_ID_PATTERN } from '../../domain/ids.js';

/** `/handoff <text>` split into the subcommand (lower case; `help` when empty) and its arguments. */
export function splitCommand(text: string): { subcommand: string; args: string[] } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = 'help', ...args] = words;
  // `/handoff ho_…` is short for `/handoff status ho_…`.
  if (HANDOFF_ID_PATTERN.test(first) || looksLikeId(first)) return { subcommand: 'status', args: [first, ...args] };
  return { subcommand: first.toLowerCase(), args };
}

function looksLikeId(word: string): boolean {
  return /^ho_/i.test(word);
}

export type IdCheck = { ok: true; handoffId: string } | { ok: false; problem: string };

/** A handoff id as typed, or what is wrong with it in words a person can act on. */
export function checkHandoffId(word: string): IdCheck {
  if (HANDOFF_ID_PATTERN.test(word)) return { ok: true, handoffId: word };
  const shown = word.slice(0, 40).replace(/[`<>&]/g, '');
  if (HANDOFF_ID_PATTERN.test(word.toLowerCase())) {
    return { ok: false, problem: `Handoff ids are lower case: \`${shown}\` should be \`${word.toLowerCase()}\`.` };
  }
  if (!/^ho_/i.test(word)) return { ok: false, problem: `\`${shown}\` is not a handoff id: ids start with \`ho_\` (copy one from a card or from \`/handoff status\`).` };
  return { ok: false, problem: `\`${shown}\` is not a handoff id: an id is \`ho_\` and 26 lower-case letters and digits.` };
}
