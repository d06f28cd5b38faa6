import { SEVERITIES, type Severity } from '../../../shared/schemas/enums.js';
import type { RoutingBlock } from '../../domain/routing.js';
import { escapeTruncate, mention, singleLine, slackDate } from '../mrkdwn.js';
import { type MessageBlock, type SlackMessage, mrkdwn, plain } from './blocks.js';
import { formatAge } from './format.js';
import type { ChatData } from '../../config/config-schema.js';

/** Where a handoff of one workflow would go right now. Numbers arrive masked; no handoff data. */
export interface OncallRoute {
  workflowName: string;
  block: RoutingBlock;
  /** When the other block takes over; null when never (or no hours). */
  until: number | null;
  /** The zone the hours are kept in, with the local wall time of `until` in it. */
  timeZone: string | null;
  untilLocal: string | null;
  ownerChannel: string;
  /** The escalation ladder in force, first level first (the older keys: one level). */
  levels: readonly OncallLevel[];
  /** The on-call numbers, masked as everywhere else. */
  smsTo: readonly string[];
  /** What of a handoff goes to Slack (docs/contract/regulated-workflows.md). */
  chatData: ChatData;
}

export interface OncallLevel {
  /** Null: the card's own channel (the level pages in the card's thread). */
  channel: string | null;
  mention: string | null;
  /** Severity -> wait before the timer escalates to this level (after the one before), in ms. */
  waitMs: Partial<Record<Severity, number>>;
  /** The level's own numbers, masked. */
  smsTo: readonly string[];
}

/** Slack allows 50 blocks a message: the header, one section per workflow, a footer. */
export const ONCALL_MAX_WORKFLOWS = 45;

const BLOCK_LABEL: Record<RoutingBlock, string> = {
  always: 'No business hours: the same routing at every hour',
  business_hours: 'Business hours',
  after_hours: 'After hours',
};

function blockLine(r: OncallRoute): string {
  const label = BLOCK_LABEL[r.block];
  if (r.block === 'always') return label;
  const zone = r.timeZone ? ` (${escapeTruncate(r.timeZone, 64)})` : '';
  if (r.until === null) return `${label}${zone}, with no change ahead`;
  const local = r.untilLocal ? `, ${r.untilLocal} there` : '';
  return `${label} until ${slackDate(r.until)}${zone}${local}`;
}

/**
 * When the timer brings a handoff to level `i` (0-based). A severity with no wait at an earlier
 * level never gets here by the timer (a low handoff that level 1 does not time never reaches level
 * 2 by itself): it is named apart, as reaching this level's timer only after someone escalated it.
 */
function levelWhen(levels: readonly OncallLevel[], i: number): string {
  const level = levels[i]!;
  const after = i === 0 ? '' : ` of level ${i}`;
  const timed = SEVERITIES.filter((s) => level.waitMs[s] !== undefined).reverse();
  const byTimer = timed.filter((s) => levels.slice(0, i).every((l) => l.waitMs[s] !== undefined));
  const byHand = timed.filter((s) => !byTimer.includes(s));
  const waits = (list: readonly Severity[]) => list.map((s) => `${s} after ${formatAge(level.waitMs[s]!)}${after}`).join(', ');
  const handNote = byHand.length > 0 ? `${byTimer.length > 0 ? '; ' : ': '}${waits(byHand)} only once someone escalated it to level ${i}` : '';
  if (timed.length === 0) return ': on Escalate only (no timer)';
  return `${byTimer.length > 0 ? `: ${waits(byTimer)} unclaimed` : ''}${handNote}`;
}

function escalationLines(r: OncallRoute): string[] {
  return r.levels.map((level, i) => {
    const who = level.mention ? `, paging ${mention(level.mention)}` : '';
    const sms = level.smsTo.length > 0 ? ` and by SMS to ${level.smsTo.map((n) => `\`${n}\``).join(', ')}` : '';
    const when = levelWhen(r.levels, i);
    const where = level.channel === null ? `the card's thread in <#${r.ownerChannel}>` : `<#${level.channel}>`;
    return `${r.levels.length === 1 ? '*Escalations* go' : `*Level ${i + 1}* goes`} to ${where}${who}${sms}${when}`;
  });
}

function smsLine(r: OncallRoute, smsConfigured: boolean): string {
  if (r.smsTo.length === 0) return '*SMS*: no on-call numbers';
  // Code spans keep the masking asterisks from being read as bold.
  const numbers = r.smsTo.map((n) => `\`${n}\``).join(', ');
  return `*SMS* to ${numbers} for reasons that notify by SMS${smsConfigured ? '' : ' (Twilio is not configured here, so none is sent)'}`;
}

const CHAT_DATA_LINE: Record<ChatData, string> = {
  full: '*Chat data*: full (cards show the caller and the non-sensitive fields; Details opens a modal)',
  link_only: '*Chat data*: link only (Slack gets no caller data; Details gives a 10-minute link to read it on this server)',
};

/** `/handoff oncall`: for each workflow the asker may act on, where a handoff would go now and who would be paged. */
export function buildOncallReport(routes: readonly OncallRoute[], smsConfigured: boolean): SlackMessage {
  const blocks: MessageBlock[] = [{ type: 'header', block_id: 'ho_oncall_header', text: plain('Who is on call now') }];
  if (routes.length === 0) {
    blocks.push({ type: 'section', block_id: 'ho_oncall_none', text: mrkdwn('There are no workflows you may act on.') });
    return { text: 'Who is on call now: no workflows you may act on', blocks };
  }
  routes.slice(0, ONCALL_MAX_WORKFLOWS).forEach((r, i) => {
    const lines = [
      `*${escapeTruncate(singleLine(r.workflowName), 100)}*: ${blockLine(r)}`,
      `*Cards* go to <#${r.ownerChannel}>`,
      ...escalationLines(r),
      smsLine(r, smsConfigured),
      CHAT_DATA_LINE[r.chatData],
    ];
    blocks.push({ type: 'section', block_id: `ho_oncall_${i}`, text: mrkdwn(lines.join('\n')) });
  });
  if (routes.length > ONCALL_MAX_WORKFLOWS) {
    blocks.push({ type: 'context', block_id: 'ho_oncall_more', elements: [mrkdwn(`…and ${routes.length - ONCALL_MAX_WORKFLOWS} more workflows.`)] });
  }
  return { text: `Who is on call now: ${routes.length} workflow${routes.length === 1 ? '' : 's'}`, blocks };
}
