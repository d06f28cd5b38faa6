import { z } from 'zod';
import { handoffStatusSchema, outcomeSchema, severitySchema } from '../../shared/schemas/index.js';
import { signWebhook } from '../../shared/standard-webhooks.js';
import { backoffMs, type BackoffPolicy } from '../../shared/backoff.js';

export const CALLBACK_EVENT_TYPES = [
  'handoff.claimed',
  'handoff.released',
  'handoff.escalated',
  'handoff.resolved',
  'handoff.reopened',
  'handoff.outcome_recorded',
  'handoff.call_back_started',
] as const;
export const callbackEventTypeSchema = z.enum(CALLBACK_EVENT_TYPES);
export type CallbackEventType = z.infer<typeof callbackEventTypeSchema>;

/** The status callback body, in the Standard Webhooks payload shape (type / timestamp / data). */
export const callbackPayloadSchema = z.strictObject({
  type: callbackEventTypeSchema,
  timestamp: z.iso.datetime(),
  data: z.strictObject({
    handoff_id: z.string(),
    workflow_id: z.string(),
    status: handoffStatusSchema,
    severity: severitySchema,
    escalation_level: z.number().int().min(0),
    /** Slack user id of who acted; null when the system did (auto-escalation). */
    actor: z.string().nullable(),
    caller_message: z.string().optional(),
    /** `handoff.resolved` and `handoff.outcome_recorded`: how it ended (docs/contract/outcomes.md#callbacks-carry-the-outcome). */
    outcome: outcomeSchema.optional(),
  }),
});
export type CallbackPayload = z.infer<typeof callbackPayloadSchema>;
export type CallbackData = CallbackPayload['data'];

export interface CallbackEvent {
  type: CallbackEventType;
  /** When the state change happened (ms): fixed, so every retry carries the same body. */
  occurredAt: number;
  data: CallbackData;
}

export interface CallbackRequest {
  body: string;
  headers: Record<string, string>;
}

/** Stable across retries, so the receiver can drop duplicates by `webhook-id`. */
export function callbackWebhookId(outboxId: number | string): string {
  return `cb_${outboxId}`;
}

export function callbackBody(event: CallbackEvent): string {
  const payload: CallbackPayload = {
    type: event.type,
    timestamp: new Date(event.occurredAt).toISOString(),
    data: event.data,
  };
  return JSON.stringify(payload);
}

/**
 * Builds one attempt: same body and `webhook-id` on every retry, a fresh `webhook-timestamp`
 * (receivers reject timestamps more than 5 minutes old).
 */
export function buildCallbackRequest(input: {
  secret: string | Buffer;
  webhookId: string;
  nowMs: number;
  event: CallbackEvent;
}): CallbackRequest {
  const body = callbackBody(input.event);
  const signed = signWebhook(input.secret, input.webhookId, Math.floor(input.nowMs / 1000), body);
  return {
    body,
    headers: { ...signed, 'content-type': 'application/json', 'user-agent': 'handoff-callbacks/1' },
  };
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const CALLBACK_GIVE_UP_AFTER_MS = 24 * HOUR;
/** 5 s, 30 s, 3 min, 18 min, then hourly (each jittered): a receiver that is down for a while is not hammered. */
export const CALLBACK_BACKOFF: BackoffPolicy = { baseMs: 5 * SECOND, factor: 6, capMs: HOUR };

/** Delay before the next try after `failedAttempts` failures (1 = the first try failed). */
export function callbackRetryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  return backoffMs(Math.max(1, Math.floor(failedAttempts)) - 1, CALLBACK_BACKOFF, random);
}

/** Standard Webhooks senders stop after about a day; so do we (docs/contract/privacy-and-reliability.md#status-callbacks: 24 h). */
export function shouldGiveUp(firstAttemptAt: number, now: number): boolean {
  return now - firstAttemptAt >= CALLBACK_GIVE_UP_AFTER_MS;
}
