import { z } from 'zod';

/**
 * The least a request from Slack to `/slack/events` must look like before Bolt and our handlers read
 * it: what they dereference without checking. Everything else passes through untouched (loose
 * objects), so a payload kind or field Slack adds later is not refused here.
 */
const userRef = z.looseObject({ id: z.string().min(1) });

const interactive = z.looseObject({ type: z.string().min(1), user: userRef });

const blockActions = interactive.extend({
  type: z.literal('block_actions'),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const viewPayload = interactive.extend({
  type: z.enum(['view_submission', 'view_closed']),
  view: z.looseObject({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
  }),
});

/** `payload=` of an interactivity request, parsed from JSON. */
export const slackInteractivePayloadSchema = z.union([blockActions, viewPayload, interactive.refine((p) => !['block_actions', 'view_submission', 'view_closed'].includes(p.type))]);

/** A slash command (form fields, no `payload`). */
export const slackSlashCommandSchema = z.looseObject({
  command: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
  text: z.string().optional(),
});

/** An Events API body (JSON). */
export const slackEventsBodySchema = z.union([
  z.looseObject({ type: z.literal('url_verification'), challenge: z.string() }),
  z.looseObject({ type: z.literal('event_callback'), event: z.looseObject({ type: z.string() }) }),
  z.looseObject({ type: z.string() }).refine((b) => b.type !== 'url_verification' && b.type !== 'event_callback'),
]);
