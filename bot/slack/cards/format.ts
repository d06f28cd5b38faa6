import type { HandoffStatus, Severity } from '../../../shared/schemas/enums.js';
import { escapeTruncate, isUserId, mention, singleLine, slackDate } from '../mrkdwn.js';
import { AUTO_ACTOR } from './card-input.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A coarse age for cards: "0m", "3m", "1h 5m", "2h", "2d", "2d 4h". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < MINUTE) return '0m';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.floor((ms % HOUR) / MINUTE);
    return m === 0 ? `${h}h` : `${h}h ${m}m`;
  }
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / HOUR);
  return h === 0 ? `${d}d` : `${d}d ${h}h`;
}

const SEVERITY_EMOJI: Record<Severity, string> = {
  low: '⚪',
  normal: '🔵',
  high: '🟠',
  urgent: '🚨',
};

const SEVERITY_LABEL: Record<Severity, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export function severityEmoji(severity: Severity): string {
  return SEVERITY_EMOJI[severity];
}

/** "Urgent 🚨": the word first, so a screen reader says the severity before it names an emoji. */
export function severityText(severity: Severity, bold = false): string {
  const label = SEVERITY_LABEL[severity];
  return `${bold ? `*${label}*` : label} ${SEVERITY_EMOJI[severity]}`;
}

export function severityLabel(severity: Severity): string {
  return SEVERITY_LABEL[severity];
}

const CALL_STATUS_LABEL: Record<string, string> = {
  ringing: 'Ringing',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  transferred: 'Transferred',
  abandoned: 'Abandoned',
  voicemail: 'Voicemail',
  failed: 'Failed',
};

/** mrkdwn-safe label for a call status; an unknown value is shown escaped. */
export function callStatusText(callStatus: string): string {
  return CALL_STATUS_LABEL[callStatus] ?? escapeTruncate(singleLine(callStatus), 60);
}

const STATUS_LABEL: Record<HandoffStatus, string> = {
  open: 'Open',
  claimed: 'Claimed',
  resolved: 'Resolved',
};

export function statusLabel(status: HandoffStatus): string {
  return STATUS_LABEL[status];
}

/** The reason as people read it: the config label if any, else the id. Raw (unescaped). */
export function reasonText(input: { reason: string; reasonLabel?: string }): string {
  const label = input.reasonLabel === undefined ? '' : singleLine(input.reasonLabel);
  return label === '' ? singleLine(input.reason) : label;
}

/** mrkdwn for who did something: a mention for a Slack user, words for the timer. */
export function actorText(actor: string | null): string {
  if (actor === null) return 'someone';
  if (actor === AUTO_ACTOR) return 'auto-escalation';
  if (isUserId(actor)) return mention(actor);
  return escapeTruncate(singleLine(actor), 80);
}

/** "by <@U…> at <date>", leaving out the parts that are unknown. */
export function byAt(actor: string | null, at: number | null): string {
  const by = actor === null ? '' : ` by ${actorText(actor)}`;
  const when = at === null ? '' : ` at ${slackDate(at)}`;
  return by + when;
}

/** " Severity raised from High to Urgent." when an escalation raised it, else nothing. */
export function raisedText(raisedFrom: Severity | null | undefined, now: Severity): string {
  return raisedFrom && raisedFrom !== now ? ` Severity raised from ${severityLabel(raisedFrom)} to ${severityLabel(now)}.` : '';
}
