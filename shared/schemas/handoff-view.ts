import { z } from 'zod';
import { callStatusSchema, eventTypeSchema, handoffStatusSchema, severitySchema } from './enums.js';
import { outcomeSchema } from './outcome.js';

/** A non-sensitive structured field as people see it (sensitive fields never appear here). */
export const visibleFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  value: z.string(),
});
export type VisibleField = z.infer<typeof visibleFieldSchema>;

/**
 * A handoff as the desktop API and the event stream show it to a paired user.
 * Personal data (caller_id, fields) is null once retention has erased it.
 */
export const handoffViewSchema = z.object({
  id: z.string(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  reason: z.string(),
  /** The reason's label from the workflow config; null when the config gives it none. */
  reason_label: z.string().nullable().optional(),
  severity: severitySchema,
  status: handoffStatusSchema,
  escalation_level: z.number().int().min(0),
  call_status: callStatusSchema,
  caller_id: z.string().nullable(),
  caller_id_masked: z.string().nullable(),
  fields: z.array(visibleFieldSchema),
  received_at: z.string(),
  claimed_by: z.string().nullable(),
  claimed_at: z.string().nullable(),
  resolved_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
  /** How a resolved handoff ended (docs/contract/outcomes.md#outcomes); null before it is resolved. */
  outcome: outcomeSchema.nullable().optional(),
  last_escalated_by: z.string().nullable(),
  slack_permalink: z.string().nullable(),
  /** A voice platform reported the call over before anyone claimed: someone must call the caller back. */
  caller_hung_up: z.boolean().optional(),
  /**
   * Display names (Slack profile) of the users this view names (claimed_by, resolved_by,
   * last_escalated_by), by user id. A user whose name the bot could not learn is left out.
   */
  user_names: z.record(z.string(), z.string().max(200)).optional(),
});
export type HandoffView = z.infer<typeof handoffViewSchema>;

/** One entry of the event log as `GET /v1/events` streams it (`id:` = seq). */
export const handoffEventSchema = z.object({
  seq: z.number().int().positive(),
  type: eventTypeSchema,
  handoff_id: z.string(),
  at: z.string(),
  actor: z.string().nullable(),
  handoff: handoffViewSchema,
});
export type HandoffEvent = z.infer<typeof handoffEventSchema>;
