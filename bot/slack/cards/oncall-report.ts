import { SEVERITIES, type Severity } from '../../../shared/schemas/enums.js';
import type { RoutingBlock } from '../../domain/routing.js';
import { escapeTruncate, mention, singleLine, slackDate } from '../mrkdwn.js';
import { type MessageBlock, type SlackMessage, mrkdwn, plain } from './blocks.js';
import { formatAge } from './format.js';

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
  escalationChannel: string;
  escalationMention: string | null;
  /** Severity -> wait before the timer escalates, in ms. */
  escalateAfter: Partial<Record<Severity, number>>;
  /** The on-call numbers, masked as everywhere else. */
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

function escalationLine(r: OncallRoute): string {
  const waits = SEVERITIES.filter((s) => r.escalateAfter[s] !== undefined).map((s) => `${s} after ${formatAge(r.escalateAfter[s]!)}`);
  const who = r.escalationMention ? `, paging ${mention(r.escalationMention)}` : '';
  const when = waits.length > 0 ? `: ${[...waits].reverse().join(', ')} unclaimed` : ': on Escalate only (no timer)';
  return `*Escalations* go to <#${r.escalationChannel}>${who}${when}`;
}

function smsLine(r: OncallRoute, smsConfigured: boolean): string {
  if (r.smsTo.length === 0) return '*SMS*: no on-call numbers';
  // Code spans keep the masking asterisks from being read as bold.
  const numbers = r.smsTo.map((n) => `\`${n}\``).join(', ');
  return `*SMS* to ${numbers} for reasons that notify by SMS${smsConfigured ? '' : ' (Twilio is not configured here, so none is sent)'}`;
}

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
      escalationLine(r),
      smsLine(r, smsConfigured),
    ];
    blocks.push({ type: 'section', block_id: `ho_oncall_${i}`, text: mrkdwn(lines.join('\n')) });
  });
  if (routes.length > ONCALL_MAX_WORKFLOWS) {
    blocks.push({ type: 'context', block_id: 'ho_oncall_more', elements: [mrkdwn(`…and ${routes.length - ONCALL_MAX_WORKFLOWS} more workflows.`)] });
  }
  return { text: `Who is on call now: ${routes.length} workflow${routes.length === 1 ? '' : 's'}`, blocks };
}
