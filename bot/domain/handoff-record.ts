import type { CallStatus, HandoffStatus, NotifyChannel, Severity } from '../../shared/schemas/enums.js';
import type { Outcome } from '../../shared/schemas/outcome.js';

/** A row of `handoffs` as the bot uses it (personal fields are null once erased). */
export interface HandoffRecord {
  id: string;
  workflowId: string;
  reason: string;
  severity: Severity;
  status: HandoffStatus;
  escalationLevel: number;
  callStatus: CallStatus;
  callerId: string | null;
  structuredFields: Record<string, unknown> | null;
  callerMessage: string | null;
  webhookUrl: string | null;
  callbacksEnabled: boolean;
  callbacksOffReason: string | null;
  /** The voice platform the call came from (`retell`, `vapi`, `elevenlabs`, `twilio`); null for `/v1/handoffs`. */
  sourcePlatform: string | null;
  notify: NotifyChannel[];
  ownerNotified: NotifyChannel[];
  signatureStatus: 'verified' | 'unsigned';
  receivedAt: number;
  claimedBy: string | null;
  claimedAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  lastEscalatedBy: string | null;
  lastEscalatedAt: number | null;
  lastReleasedBy: string | null;
  lastReleasedAt: number | null;
  reopenedBy: string | null;
  reopenedAt: number | null;
  escalateDueAt: number | null;
  version: number;
  slackChannel: string | null;
  slackTs: string | null;
  slackPermalink: string | null;
  /** The `version` the posted card showed, kept current by card edits (null before the card). */
  slackCardVersion: number | null;
  /** When a claimer who has not resolved gets a reminder (`remind_after`). */
  remindDueAt: number | null;
  /** The severity before the first escalation raised it (null: never escalated). */
  severityBeforeEscalation: Severity | null;
  erasedAt: number | null;
  /** How it ended; null until resolved (docs/contract/outcomes.md#outcomes). */
  outcome: Outcome | null;
  /** The first claim: a release and a new claim keep it (time to claim). */
  firstClaimedAt: number | null;
  /** A voice platform's request that did not fit the workflow's fields: what was missing or invalid (no values). */
  intakeIssues: IntakeIssue[] | null;
  /** The platform's call summary (personal data: Details view only, erased by retention). */
  callSummary: string | null;
  /** The call ended while nobody had claimed the handoff: someone must call back. */
  callerHungUpAt: number | null;
  /** Claim-to-connect (docs/contract/reaching-the-caller.md); null state = no live caller ever waited for a transfer. */
  connect: ConnectInfo;
}

/** A field or parameter of a live caller's request that was missing or invalid: its path and the rule, never its value. */
export interface IntakeIssue {
  path: string;
  message: string;
}

export type ConnectState = 'waiting' | 'connected' | 'no_phone' | 'timed_out' | 'closed';

export interface ConnectInfo {
  state: ConnectState | null;
  /** When the caller started waiting on the line (the first transfer request). */
  waitingSince: number | null;
  /** While `waiting`: when the held request gets the fallback. */
  waitingUntil: number | null;
  /** `connected`: who the caller was transferred to; `no_phone`: who claimed without a phone in `people`. */
  user: string | null;
}
