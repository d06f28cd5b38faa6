import type { EventType } from '../../shared/schemas/enums.js';

// The handoff itself is the domain's record (bot/domain/handoff-record.ts); the store reads and writes it.
export type { ConnectInfo, ConnectState, HandoffRecord, IntakeIssue } from '../domain/handoff-record.js';

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

/** Card edits share one pace key: chat.update is limited for the whole workspace, not per channel. */
export const CARD_EDIT_PACE_KEY = 'slack.update';

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
