import type { HandoffRecord } from '../store/records.js';

/** `outcome` amends the outcome of a resolved handoff (Slack's picker on the resolved card). */
export const ACTION_NAMES = ['claim', 'release', 'escalate', 'resolve', 'note', 'outcome'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** Who acted: a Slack user id (Slack buttons, desktop token's user) or the escalation timer. */
export type Actor = { kind: 'user'; userId: string } | { kind: 'timer' };

export type ActionRefusal =
  | 'not_found'
  | 'not_allowed'
  | 'already_claimed'
  | 'already_resolved'
  | 'not_claimed'
  | 'not_claimer'
  | 'not_resolved'
  | 'stale_timer'
  | 'max_level';

export type ActionResult =
  | { ok: true; handoff: HandoffRecord; eventSeq: number }
  | { ok: false; refusal: ActionRefusal; handoff: HandoffRecord | null };

export const AUTO_ESCALATION_MAX_LEVEL = 3;
