import type { HandoffRecord } from '../store/records.js';

/**
 * `outcome` amends the outcome of a resolved handoff (Slack's picker on the resolved card).
 * `call_back` (docs/contract/reaching-the-caller.md#call-back): claim if open, then Twilio rings the clicker and dials the caller.
 */
export const ACTION_NAMES = ['claim', 'release', 'escalate', 'resolve', 'reopen', 'note', 'outcome', 'call_back'] as const;
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
  | 'max_level'
  /** Call back by someone with no phone under `people`, or to a caller id that is not a phone number. */
  | 'no_phone'
  | 'not_dialable'
  /** Call back of a handoff whose call is still queued or was queued moments ago: nobody is rung again. */
  | 'call_back_pending'
  /** The person started too many Call backs lately, across handoffs. */
  | 'call_back_rate_limited';

export type ActionResult =
  | { ok: true; handoff: HandoffRecord; eventSeq: number }
  | { ok: false; refusal: ActionRefusal; handoff: HandoffRecord | null; /** `call_back_pending`: whose phone that call rings. */ callingUser?: string };
