/**
 * Decides whether a handoff event pops a native notification, and its text.
 *
 * - Once per handoff, ever (the mark is stored, so a restart never repeats it), and
 *   again only when its escalation level rises above the level last announced.
 * - Nothing for resolved handoffs, nor for a handoff first seen already claimed and
 *   not escalated (someone has it).
 * - Quiet hours hold back escalated non-urgent handoffs, but an *urgent* one breaks
 *   through: an emergency must reach a person. "Pause notifications" (snooze) is an
 *   explicit choice by the user and holds back everything; the tray icon and badge
 *   still show urgent work.
 * - A held-back handoff is still marked as announced at its level, so it does not pop
 *   up late and stale when quiet hours end; the tray lists it.
 * - Title and body carry workflow, reason and severity only. Caller data (caller id,
 *   fields) appears only when `showCallerDataOnLockScreen` is on, because a
 *   notification can be read on a locked screen.
 */
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import type { QuietHours, Settings } from '../shared/settings.js';
import { reasonText } from './view-text.js';

export type SkipReason = 'resolved' | 'not_urgent' | 'already_announced' | 'already_claimed' | 'quiet_hours' | 'snoozed';

export type NotificationDecision =
  | { announce: true; handoffId: string; level: number; title: string; body: string; urgent: boolean }
  | { announce: false; reason: SkipReason; /** level to record as announced, if any */ markLevel: number | null };

export interface PolicyInput {
  handoff: HandoffView;
  announcedLevel: number | null;
  settings: Pick<Settings, 'quietHours' | 'snoozeUntil' | 'showCallerDataOnLockScreen'>;
  now: number;
  /** Minutes since local midnight at `now`; injectable so tests do not depend on the machine's time zone. */
  minutesOfDay?: number;
}

const TITLE_MAX = 80;
const BODY_MAX = 240;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Quiet hours may wrap midnight (22:00–07:00); start == end means no quiet hours. */
export function inQuietHours(q: QuietHours | null, minuteOfDay: number): boolean {
  if (!q) return false;
  const start = minutes(q.start);
  const end = minutes(q.end);
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const SEVERITY_LABEL: Record<HandoffView['severity'], string> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export function notificationText(h: HandoffView, showCallerData: boolean): { title: string; body: string } {
  const kind = h.escalation_level > 0 ? `Escalated handoff (level ${h.escalation_level})` : `${SEVERITY_LABEL[h.severity]} handoff`;
  const title = `${kind} · ${h.workflow_name}`;
  const parts = [reasonText(h), h.severity];
  if (showCallerData) {
    if (h.caller_id) parts.push(`caller ${h.caller_id}`);
    for (const f of h.fields) parts.push(`${f.label}: ${f.value}`);
  }
  return { title: truncate(title, TITLE_MAX), body: truncate(parts.join(' · '), BODY_MAX) };
}

export function decideNotification(input: PolicyInput): NotificationDecision {
  const { handoff: h, announcedLevel, settings, now } = input;
  const level = h.escalation_level;
  if (h.status === 'resolved') return { announce: false, reason: 'resolved', markLevel: null };
  if (h.severity !== 'urgent' && level === 0) return { announce: false, reason: 'not_urgent', markLevel: null };
  if (announcedLevel !== null && level <= announcedLevel) {
    return { announce: false, reason: 'already_announced', markLevel: null };
  }
  if (announcedLevel === null && h.status === 'claimed' && level === 0) {
    return { announce: false, reason: 'already_claimed', markLevel: null };
  }
  if (settings.snoozeUntil !== null && now < settings.snoozeUntil) {
    return { announce: false, reason: 'snoozed', markLevel: level };
  }
  const minuteOfDay = input.minutesOfDay ?? (() => {
    const d = new Date(now);
    return d.getHours() * 60 + d.getMinutes();
  })();
  if (h.severity !== 'urgent' && inQuietHours(settings.quietHours, minuteOfDay)) {
    return { announce: false, reason: 'quiet_hours', markLevel: level };
  }
  const { title, body } = notificationText(h, settings.showCallerDataOnLockScreen);
  return { announce: true, handoffId: h.id, level, title, body, urgent: h.severity === 'urgent' };
}
