import type { CallStatus, HandoffStatus, NotifyChannel, Severity, EventType } from '../../shared/schemas/enums.js';
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

export interface EventRecord {
  seq: number;
  handoffId: string;
  type: EventType;
  actor: string | null;
  at: number;
  data: Record<string, unknown>;
}

export type OutboxKind =
  | 'slack.post_card'
  | 'slack.update_card'
  | 'slack.post_escalation'
  | 'slack.post_note'
  | 'slack.tell_claimant'
  | 'slack.remind'
  | 'slack.delete_notes'
  | 'sms.send'
  | 'voice.call_back'
  | 'callback.send';

/** Rows of one lane of one handoff are delivered in order; lanes are independent. */
export function laneOf(kind: OutboxKind): string {
  return kind.split('.')[0]!;
}

export interface OutboxRecord {
  id: number;
  handoffId: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  paceKey: string | null;
  priority: number;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  firstAttemptAt: number | null;
  lastError: string | null;
  createdAt: number;
  doneAt: number | null;
}

export interface NewOutboxItem {
  kind: OutboxKind;
  payload?: Record<string, unknown>;
  paceKey?: string | null;
  /** Order among the rows of one pace key: 0 (urgent) goes first; default 2. */
  priority?: number;
  notBefore?: number;
}

/** A storm digest message: one per storm wave in a channel, listing handoffs whose cards are still to come. */
export interface DigestRecord {
  id: number;
  channel: string;
  createdAt: number;
  attemptedAt: number | null;
  ts: string | null;
  permalink: string | null;
  renderedHash: string | null;
  closedAt: number | null;
}

/** A week's digest still to post. */
export interface DueDigest {
  weekStart: number;
  channel: string;
  attempts: number;
}

export interface Timing {
  /** How many handoffs the timing is over (claimed ones for time to claim, resolved ones for time to resolve). */
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** One workflow and reason over one period. Counts only: no personal data is read. */
export interface StatsRow {
  workflowId: string;
  reason: string;
  count: number;
  escalated: number;
  /** The call ended before anyone claimed (never claimed, or first claimed after it ended). */
  hungUpBeforeClaim: number;
  resolved: number;
  notNeeded: number;
  timeToClaim: Timing;
  timeToResolve: Timing;
}

export interface StatsPeriod {
  from: number;
  to: number;
  rows: StatsRow[];
}
