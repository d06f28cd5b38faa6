import { z } from 'zod';

/**
 * How a resolved handoff ended (docs/contract/outcomes.md#outcomes), defined once: Slack's outcome picker, the desktop
 * API and app, the callbacks and `/handoff stats` all use this list.
 */
export const OUTCOMES = ['handled', 'called_back', 'no_answer', 'not_needed', 'wrong_workflow', 'duplicate'] as const;
export const outcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof outcomeSchema>;

/** Resolve's outcome when none is given: one click in Slack, an empty desktop request. */
export const DEFAULT_OUTCOME: Outcome = 'handled';

/** How people read each outcome (Slack picker, card, desktop menu). */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  handled: 'Handled',
  called_back: 'Called back',
  no_answer: 'No answer',
  not_needed: 'Not needed',
  wrong_workflow: 'Wrong workflow',
  duplicate: 'Duplicate',
};

/** A resolve note is personal data (kept with the notes, erased by retention). */
export const RESOLVE_NOTE_MAX = 3000;

/** Body of `POST /v1/handoffs/:id/resolve`; an empty body means `{"outcome": "handled"}`. */
export const resolveRequestSchema = z.strictObject({
  outcome: outcomeSchema.default(DEFAULT_OUTCOME),
  note: z.string().trim().min(1).max(RESOLVE_NOTE_MAX).optional(),
});
export type ResolveRequest = z.input<typeof resolveRequestSchema>;
