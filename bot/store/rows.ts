import { SEVERITIES, type EventType, type Severity } from '../../shared/schemas/enums.js';
import { MEDIAN_TENTHS, P90_TENTHS, percentileFromRanks } from '../domain/percentile.js';
import type { DigestRecord, EventRecord, HandoffRecord, IntakeIssue, OutboxKind, OutboxRecord, Timing } from './records.js';
import type { QueueCounts } from './store.js';

// Rows as both engines return them (column names, JSON as text, flags as 0/1, times as numbers) and the
// records they become: one mapper per table, whichever engine read the row.

export interface HandoffRow {
  id: string;
  workflow_id: string;
  reason: string;
  severity: string;
  status: string;
  escalation_level: number;
  call_status: string;
  caller_id: string | null;
  structured_fields: string | null;
  caller_message: string | null;
  webhook_url: string | null;
  callbacks_enabled: number;
  callbacks_off_reason: string | null;
  source_platform: string | null;
  notify: string;
  owner_notified: string;
  signature_status: string;
  received_at: number;
  claimed_by: string | null;
  claimed_at: number | null;
  resolved_by: string | null;
  resolved_at: number | null;
  last_escalated_by: string | null;
  last_escalated_at: number | null;
  last_released_by?: string | null;
  last_released_at?: number | null;
  reopened_by?: string | null;
  reopened_at?: number | null;
  escalate_due_at: number | null;
  version: number;
  slack_channel: string | null;
  slack_ts: string | null;
  slack_permalink: string | null;
  slack_card_version: number | null;
  remind_due_at: number | null;
  severity_before_escalation?: string | null;
  erased_at: number | null;
  outcome: string | null;
  first_claimed_at: number | null;
  intake_issues: string | null;
  call_summary: string | null;
  caller_hung_up_at: number | null;
  connect_state: string | null;
  connect_waiting_since: number | null;
  connect_waiting_until: number | null;
  connect_user: string | null;
}

export function rowToHandoff(r: HandoffRow): HandoffRecord {
  return {
    id: r.id,
    workflowId: r.workflow_id,
    reason: r.reason,
    severity: r.severity as HandoffRecord['severity'],
    status: r.status as HandoffRecord['status'],
    escalationLevel: r.escalation_level,
    callStatus: r.call_status as HandoffRecord['callStatus'],
    callerId: r.caller_id,
    structuredFields: r.structured_fields === null ? null : (JSON.parse(r.structured_fields) as Record<string, unknown>),
    callerMessage: r.caller_message,
    webhookUrl: r.webhook_url,
    callbacksEnabled: r.callbacks_enabled === 1,
    callbacksOffReason: r.callbacks_off_reason,
    sourcePlatform: r.source_platform,
    notify: JSON.parse(r.notify) as HandoffRecord['notify'],
    ownerNotified: JSON.parse(r.owner_notified) as HandoffRecord['ownerNotified'],
    signatureStatus: r.signature_status as HandoffRecord['signatureStatus'],
    receivedAt: r.received_at,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at,
    lastEscalatedBy: r.last_escalated_by,
    lastEscalatedAt: r.last_escalated_at,
    lastReleasedBy: r.last_released_by ?? null,
    lastReleasedAt: r.last_released_at ?? null,
    reopenedBy: r.reopened_by ?? null,
    reopenedAt: r.reopened_at ?? null,
    escalateDueAt: r.escalate_due_at,
    version: r.version,
    slackChannel: r.slack_channel,
    slackTs: r.slack_ts,
    slackPermalink: r.slack_permalink,
    slackCardVersion: r.slack_card_version ?? null,
    remindDueAt: r.remind_due_at ?? null,
    severityBeforeEscalation: (r.severity_before_escalation ?? null) as HandoffRecord['severityBeforeEscalation'],
    erasedAt: r.erased_at,
    outcome: r.outcome as HandoffRecord['outcome'],
    firstClaimedAt: r.first_claimed_at,
    intakeIssues: r.intake_issues === null ? null : (JSON.parse(r.intake_issues) as IntakeIssue[]),
    callSummary: r.call_summary,
    callerHungUpAt: r.caller_hung_up_at,
    connect: {
      state: r.connect_state as HandoffRecord['connect']['state'],
      waitingSince: r.connect_waiting_since,
      waitingUntil: r.connect_waiting_until,
      user: r.connect_user,
    },
  };
}

export interface EventRow {
  seq: number;
  handoff_id: string;
  type: string;
  actor: string | null;
  at: number;
  data?: string;
}

export function rowToEvent(r: EventRow): EventRecord {
  return { seq: r.seq, handoffId: r.handoff_id, type: r.type as EventType, actor: r.actor, at: r.at, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {} };
}

export interface OutboxRow {
  id: number;
  handoff_id: string;
  kind: string;
  payload: string;
  pace_key: string | null;
  priority: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  first_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

export function rowToOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    handoffId: r.handoff_id,
    kind: r.kind as OutboxKind,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    paceKey: r.pace_key,
    priority: r.priority,
    status: r.status as OutboxRecord['status'],
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    firstAttemptAt: r.first_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    doneAt: r.done_at,
  };
}

export interface DigestRow {
  id: number;
  channel: string;
  created_at: number;
  attempted_at: number | null;
  ts: string | null;
  permalink: string | null;
  rendered_hash: string | null;
  closed_at: number | null;
}

export const toDigest = (r: DigestRow): DigestRecord => ({
  id: r.id,
  channel: r.channel,
  createdAt: r.created_at,
  attemptedAt: r.attempted_at,
  ts: r.ts,
  permalink: r.permalink,
  renderedHash: r.rendered_hash,
  closedAt: r.closed_at,
});

/** Call statuses that mean the caller is gone: hung up (or the call ended) before a person came. */
export const ENDED_CALL_STATUSES = ['completed', 'abandoned'] as const;

/** Median and p90 of a group's waits (time to claim, time to resolve), in any order. */
export function timingOf(waits: Iterable<number>): Timing {
  const sorted = Float64Array.from(waits).sort();
  const at = (rank: number) => sorted[rank - 1];
  return { n: sorted.length, medianMs: percentileFromRanks(sorted.length, MEDIAN_TENTHS, at), p90Ms: percentileFromRanks(sorted.length, P90_TENTHS, at) };
}

/** A row of the status counts: `escalated` is 0/1 on SQLite, a boolean on PostgreSQL. */
export interface CountRow {
  status: string;
  severity: string;
  escalated: number | boolean;
  n: number;
}

/** The queue figures from the grouped counts. */
export function queueCounts(rows: readonly CountRow[], oldestUnclaimedAt: number | null): QueueCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, claimed: 0, escalated: 0 }])) as QueueCounts['counts'];
  let unresolvedTotal = 0;
  for (const row of rows) {
    const c = counts[row.severity as Severity];
    if (row.status === 'open') c.open += row.n;
    else c.claimed += row.n;
    if (row.escalated) c.escalated += row.n;
    unresolvedTotal += row.n;
  }
  return { counts, oldestUnclaimedAt, unresolvedTotal };
}
