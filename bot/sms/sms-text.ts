import type { Severity } from '../../shared/schemas/index.js';

export interface SmsTextInput {
  workflowName: string;
  /** The reason's label (its id when the workflow gives none). */
  reason: string;
  severity: Severity;
  handoffId: string;
  actUrl?: string;
  /** An escalation level's page (docs/contract/storms-ladder-hours.md#escalation-ladder): the level is said up front. */
  level?: number;
}

/** GSM-7 septets in one SMS, and in each part of a longer one (the rest carries the joining header). */
export const SMS_SINGLE_SEGMENT = 160;
export const SMS_PART_SEGMENT = 153;
/** The budget: the workflow name and the reason's label always fit in it whole (config caps each at 100). */
export const SMS_TWO_SEGMENTS = 2 * SMS_PART_SEGMENT;
/** Config's cap on a workflow name and a reason label; anything longer (an id used instead) is cut to it. */
const NAME_MAX = 100;

/**
 * The on-call SMS: what a person woken at 3 a.m. needs to act. Takes only configuration and ids,
 * never caller data: the phone's lock screen and the carrier see it. It says the severity (and the
 * escalation level), then the workflow name and the reason's label in full, then the link to the
 * card. Only the optional part, the handoff id, gives way: it is dropped when keeping it would
 * take the text past two segments (the link leads to the handoff anyway); without a link it stays.
 * Plain ASCII keeps it GSM-7 (a stray emoji would make it UCS-2, 70 characters a segment).
 */
export function smsText(input: SmsTextInput): string {
  const level = input.level !== undefined && input.level > 0 ? ` ESCALATED L${input.level}` : '';
  const head = `${input.severity.toUpperCase()}${level}:`;
  const workflow = cut(asciiOnly(input.workflowName), NAME_MAX);
  const reason = cut(asciiOnly(input.reason.replace(/_/g, ' ')), NAME_MAX);
  const core = `${head} ${workflow} - ${reason}.`;
  const id = ` Handoff ${asciiOnly(input.handoffId)}`;
  if (!input.actUrl) return `${core}${id}`;
  const link = ` ${input.actUrl}`;
  const withId = `${core}${id}${link}`;
  if (septets(withId) <= SMS_TWO_SEGMENTS) return withId;
  return `${core}${link}`;
}

/** How many GSM-7 septets `text` (printable ASCII) takes: the extension table's characters take two. */
export function septets(text: string): number {
  let n = 0;
  for (const ch of text) n += '[]{}\\^~|'.includes(ch) ? 2 : 1;
  return n;
}

/** How many segments an SMS of printable ASCII takes. */
export function smsSegments(text: string): number {
  const n = septets(text);
  return n <= SMS_SINGLE_SEGMENT ? 1 : Math.ceil(n / SMS_PART_SEGMENT);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`;
}

/** Drops control and non-ASCII characters so one stray emoji cannot cut the SMS to 70 characters. */
function asciiOnly(text: string): string {
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
