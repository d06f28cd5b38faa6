import { z } from 'zod';
import { callStatusSchema, handoffStatusSchema, notifyChannelSchema, severitySchema } from './enums.js';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The envelope of `POST /v1/handoffs` (docs/contract/http-api.md#request-body). `structured_fields` is only
 * checked to be an object here; the workflow's own `fields` validate its contents.
 */
export const handoffRequestSchema = z.strictObject({
  workflow_id: z.string().min(1).max(100),
  caller_id: z
    .string()
    .min(1)
    .max(64)
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters'),
  call_status: callStatusSchema,
  structured_fields: z.record(z.string(), z.unknown()),
  webhook_url: z
    .string()
    .max(2048)
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an absolute http or https URL'),
  handoff_reason: z.string().min(1).max(100).optional(),
  severity: severitySchema.optional(),
  notify: z.array(notifyChannelSchema).max(3).optional(),
  caller_message: z.string().max(500).optional(),
  idempotency_key: z.string().min(1).max(255).optional(),
  signature_status: z.unknown().optional(),
});
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

/** The 202 answer: `caller_message` is what the agent should say next. */
export const handoffAcceptedSchema = z.object({
  handoff_id: z.string(),
  status: handoffStatusSchema,
  severity: severitySchema,
  caller_message: z.string(),
  owner_notified: z.array(notifyChannelSchema),
});
export type HandoffAccepted = z.infer<typeof handoffAcceptedSchema>;
