import { escapeTruncate, singleLine } from '../mrkdwn.js';
import { type HeaderBlock, type MrkdwnText, type SectionBlock, mrkdwn, plain } from './blocks.js';
import type { CardInput } from './card-input.js';
import { actorText, callStatusText, formatAge, reasonText, severityEmoji, severityLabel } from './format.js';
import { SLACK_LIMITS } from './limits.js';

/** Caller ids are at most 64 characters (SPEC section 3); anything longer is cut. */
const CALLER_MAX = 100;
const WORKFLOW_MAX = 200;

export type SummaryInput = Pick<
  CardInput,
  | 'workflowName'
  | 'reason'
  | 'reasonLabel'
  | 'severity'
  | 'status'
  | 'escalationLevel'
  | 'callStatus'
  | 'callerId'
  | 'receivedAt'
  | 'now'
  | 'claimedBy'
  | 'resolvedBy'
>;

/** "🚨 URGENT · Emergency or sensitive request", within the header limit. */
export function headerBlock(input: SummaryInput, blockId: string): HeaderBlock {
  const prefix = `${severityEmoji(input.severity)} ${severityLabel(input.severity).toUpperCase()} · `;
  const reason = escapeTruncate(reasonText(input), SLACK_LIMITS.headerText - prefix.length);
  return { type: 'header', block_id: blockId, text: plain(prefix + reason) };
}

export function stateText(input: Pick<SummaryInput, 'status' | 'claimedBy' | 'resolvedBy' | 'escalationLevel'>): string {
  const state =
    input.status === 'open'
      ? 'Open, unclaimed'
      : input.status === 'claimed'
        ? `Claimed by ${actorText(input.claimedBy)}`
        : `Resolved by ${actorText(input.resolvedBy)}`;
  return input.escalationLevel > 0 ? `${state}\nEscalated, level ${input.escalationLevel}` : state;
}

function field(label: string, value: string): MrkdwnText {
  return mrkdwn(`*${label}*\n${value}`);
}

/** Workflow, caller, call status, age and state as section fields (5 of Slack's 10). */
export function summarySection(input: SummaryInput, blockId: string): SectionBlock {
  const caller = input.callerId === null ? '_erased_' : escapeTruncate(singleLine(input.callerId), CALLER_MAX);
  return {
    type: 'section',
    block_id: blockId,
    fields: [
      field('Workflow', escapeTruncate(singleLine(input.workflowName), WORKFLOW_MAX)),
      field('Caller', caller === '' ? '_none_' : caller),
      field('Call status', callStatusText(input.callStatus)),
      field('Age', formatAge(input.now - input.receivedAt)),
      field('State', stateText(input)),
    ],
  };
}

/**
 * Notification text (push, lock screen, screen readers): severity, reason and
 * workflow only. Never the caller id or a field value.
 */
export function fallbackText(
  input: Pick<SummaryInput, 'severity' | 'reason' | 'reasonLabel' | 'workflowName' | 'status' | 'escalationLevel'>,
): string {
  const state =
    input.status === 'resolved'
      ? ' resolved'
      : input.status === 'claimed'
        ? ' claimed'
        : input.escalationLevel > 0
          ? ` escalated to level ${input.escalationLevel}`
          : '';
  const reason = escapeTruncate(reasonText(input), 150);
  const workflow = escapeTruncate(singleLine(input.workflowName), 150);
  return `${severityLabel(input.severity)} handoff${state}: ${reason} (${workflow})`;
}
