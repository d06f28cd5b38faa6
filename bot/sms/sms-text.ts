import type { Severity } from '../../shared/schemas/index.js';

export interface SmsTextInput {
  workflowName: string;
  reason: string;
  severity: Severity;
  handoffId: string;
  actUrl?: string;
  /** An escalation level's page (docs/contract/storms-ladder-hours.md#escalation-ladder): the level is said up front. */
  level?: number;
}

export const SMS_SINGLE_SEGMENT = 160;

/**
 * The on-call SMS. Takes only configuration and ids, never caller data: the phone's lock screen
 * and the carrier see it. Plain ASCII keeps it in the 160-character GSM-7 segment; the workflow
 * name (free text from config) gives way first when it is too long, then the reason.
 */
export function smsText(input: SmsTextInput): string {
  const level = input.level !== undefined && input.level > 0 ? ` ESCALATED L${input.level}` : '';
  const head = `[${input.severity.toUpperCase()}${level}] Handoff ${asciiOnly(input.handoffId)}`;
  const tail = input.actUrl ? ` ${input.actUrl}` : '';
  const reason = asciiOnly(input.reason.replace(/_/g, ' '));
  const workflow = asciiOnly(input.workflowName);

  const fixed = `${head}: ${tail}`.length; // ": " joins head and the middle part
  const room = Math.max(0, SMS_SINGLE_SEGMENT - fixed);
  const middle = fitMiddle(workflow, reason, room);
  return `${head}${middle ? `: ${middle}` : ''}${tail}`;
}

function fitMiddle(workflow: string, reason: string, room: number): string {
  const full = `${workflow} - ${reason}`;
  if (full.length <= room) return full;
  const reasonPart = ` - ${reason}`;
  if (reasonPart.length + 4 <= room) return `${truncate(workflow, room - reasonPart.length)}${reasonPart}`;
  return truncate(reason, room);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 3) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 3).trimEnd()}...`;
}

/** Drops control and non-ASCII characters so one stray emoji cannot cut the SMS to 70 characters. */
function asciiOnly(text: string): string {
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
