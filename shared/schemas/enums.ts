import { z } from 'zod';

export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const CALL_STATUSES = [
  'ringing',
  'in_progress',
  'on_hold',
  'completed',
  'transferred',
  'abandoned',
  'voicemail',
  'failed',
] as const;
export const callStatusSchema = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const NOTIFY_CHANNELS = ['slack', 'sms', 'desktop'] as const;
export const notifyChannelSchema = z.enum(NOTIFY_CHANNELS);
export type NotifyChannel = z.infer<typeof notifyChannelSchema>;

export const HANDOFF_STATUSES = ['open', 'claimed', 'resolved'] as const;
export const handoffStatusSchema = z.enum(HANDOFF_STATUSES);
export type HandoffStatus = z.infer<typeof handoffStatusSchema>;

export const EVENT_TYPES = [
  'handoff.received',
  'handoff.claimed',
  'handoff.released',
  'handoff.escalated',
  'handoff.resolved',
  'handoff.reopened',
  'handoff.note_added',
  'handoff.outcome_recorded',
  // A later request from the same voice-platform call merged into its handoff (docs/contract/voice-platforms.md#one-handoff-per-call).
  'handoff.updated',
  // The platform reported the call over; data.caller_hung_up says nobody had claimed it yet.
  'handoff.call_ended',
  // docs/contract/reaching-the-caller.md: Call back rang the clicker; a live caller waited on the line for a Claim, was
  // transferred to whoever claimed, or stopped waiting (timed out, claimer without a phone, platform gone).
  'handoff.call_back_started',
  'handoff.caller_waiting',
  'handoff.caller_connected',
  'handoff.caller_wait_ended',
  // Retention erased the handoff's personal data (caller id, fields, caller message, notes): a mirror
  // (the desktop app) replaces its copy with the erased view, and the note replies in the card's
  // Slack thread are blanked.
  'handoff.erased',
  // docs/contract/regulated-workflows.md#the-details-link: someone opened a Details link of a link_only
  // workflow (who and when; no data).
  'handoff.details_viewed',
] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;
