/**
 * How the desktop names what a handoff view refers to: the reason by its configured label, a person
 * by the display name the bot sent (or "you"). Pure; shared by the window, the tray and notifications.
 */
import type { HandoffView } from '../../shared/schemas/handoff-view.js';

/** A reason id as words, for a reason the workflow config gives no label. */
export function humanizeReason(reason: string): string {
  return reason.replace(/[_-]+/g, ' ').trim();
}

/** The reason as the workflow config labels it. */
export function reasonText(h: Pick<HandoffView, 'reason' | 'reason_label'>): string {
  return h.reason_label ?? humanizeReason(h.reason);
}

/** "you" for the paired user, else the display name the bot sent, else the raw Slack user id. */
export function personText(h: Pick<HandoffView, 'user_names'>, userId: string, me: string | null): string {
  if (userId === me) return 'you';
  return h.user_names?.[userId] ?? userId;
}

/** Who escalates a handoff when nobody does it by hand (the bot's escalation timer). */
export const AUTO_ACTOR = 'auto';

/** " · escalated automatically" or " · escalated by Bob Okafor" (as the card says it), or nothing. */
export function escalatedText(h: Pick<HandoffView, 'user_names' | 'escalation_level' | 'last_escalated_by'>, me: string | null): string {
  if (h.escalation_level === 0 || !h.last_escalated_by) return '';
  if (h.last_escalated_by === AUTO_ACTOR) return ' · escalated automatically';
  return ` · escalated by ${personText(h, h.last_escalated_by, me)}`;
}
