import type { HandoffStatus, Severity } from '../../../shared/schemas/enums.js';
import type { Outcome } from '../../../shared/schemas/outcome.js';

/** A non-sensitive structured field, already filtered and labelled by the caller. */
export interface CardField {
  label: string;
  value: string;
}

/**
 * Everything a handoff card shows. Built by the Slack adapter from a stored
 * handoff; sensitive fields must already be removed from `fields`.
 * Times are epoch milliseconds; `now` comes from the injected clock.
 */
export interface CardInput {
  handoffId: string;
  workflowName: string;
  workflowId: string;
  /** Reason id, e.g. `emergency_or_sensitive_request`. */
  reason: string;
  /** Human label for the reason when config has one. */
  reasonLabel?: string;
  severity: Severity;
  status: HandoffStatus;
  /** 0 = not escalated. */
  escalationLevel: number;
  callStatus: string;
  /** The caller id ('' when none); null once retention has erased it, or when `withheld`. */
  caller: string | null;
  /** The workflow is `chat_data: link_only`: caller data stays on the bot's server, Details opens it there. */
  withheld?: boolean;
  /** The voice platform the call came from (`vapi`, …); null or absent for `/v1/handoffs`. */
  platform?: string | null;
  fields: CardField[];
  receivedAt: number;
  now: number;
  claimedBy: string | null;
  claimedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  /** A Slack user id, or `auto` when the escalation timer fired. */
  lastEscalatedBy: string | null;
  lastEscalatedAt: number | null;
  /** Who last gave a claim back, so the card keeps a trace of it. */
  lastReleasedBy: string | null;
  lastReleasedAt: number | null;
  reopenedBy: string | null;
  reopenedAt: number | null;
  /** Who the ladder pages now (level 1's before any escalation): an S… user group or U… user id. */
  escalationMention: string | null;
  /** The severity before an escalation raised it (null: never escalated), so the card can say so. */
  severityBeforeEscalation?: Severity | null;
  /** The SSRF guard refused `webhook_url`: no status callbacks for this handoff. */
  callbacksOff: boolean;
  notesCount: number;
  /** How a resolved handoff ended; absent or null before (and read as `handled` once resolved). */
  outcome?: Outcome | null;
  /**
   * A voice platform's request did not fit the workflow: each problem as "path: rule" (never a value).
   * Empty when the request was complete.
   */
  intakeIssues?: readonly string[];
  /** The call ended before anyone claimed: the caller must be called back. */
  callerHungUp?: boolean;
  /** Twilio is configured and the caller id is a phone number: the card offers Call back (docs/contract/reaching-the-caller.md#call-back). */
  callBack?: boolean;
  /** Twilio is configured but the caller's number may not be dialled (domain/dial-policy.ts): the card says why instead of offering Call back. */
  callBackRefused?: { why: 'country_not_allowed' | 'premium' | 'international_network'; countryCode: string } | null;
  /** Claim-to-connect: a live caller waiting on the line for a Claim, or how that wait ended. */
  connect?: CardConnect | null;
}

export interface CardConnect {
  state: 'waiting' | 'connected' | 'no_phone' | 'timed_out' | 'closed';
  waitingSince: number | null;
  waitingUntil: number | null;
  /** Who the caller was transferred to (`connected`), or who claimed without a phone (`no_phone`). */
  user: string | null;
}

/** The actor recorded when the escalation timer (not a person) escalated. */
export const AUTO_ACTOR = 'auto';
