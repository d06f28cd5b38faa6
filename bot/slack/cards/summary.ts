import { escapeTruncate, singleLine, slackAgo } from '../mrkdwn.js';
import { cardHeadline, type HeadlineInput } from './card-state.js';
import { type HeaderBlock, type MrkdwnText, type SectionBlock, mrkdwn, plain } from './blocks.js';
import type { CardInput } from './card-input.js';
import { callStatusText, reasonText, severityLabel } from './format.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';

/** Caller ids are at most 64 characters (docs/contract/http-api.md#request-body); anything longer is cut. */
const CALLER_MAX = 100;
const WORKFLOW_MAX = 200;

export type SummaryInput = HeadlineInput & Pick<CardInput, 'workflowName' | 'reason' | 'reasonLabel' | 'caller' | 'withheld' | 'platform' | 'now'>;

/** What stands for the caller on a `link_only` workflow's messages: where to find them, nothing about them. */
export const WITHHELD_CALLER_TEXT = ':lock: _on the Details page_';

/** The caller as a card shows it: withheld, erased, none, or the id (escaped, bounded). */
export function callerText(input: Pick<SummaryInput, 'caller' | 'withheld'>): string {
  if (input.withheld === true) return WITHHELD_CALLER_TEXT;
  if (input.caller === null) return '_erased_';
  return escapeTruncate(singleLine(input.caller), CALLER_MAX) || '_none_';
}

/** How each voice platform writes its own name. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = { retell: 'Retell', vapi: 'Vapi', elevenlabs: 'ElevenLabs', twilio: 'Twilio' };

/** "URGENT 🚨 · Emergency or sensitive request", "Urgent · 🙋 CLAIMED · …": severity, state, reason, within the header limit. */
export function headerBlock(input: SummaryInput, blockId: string): HeaderBlock {
  const prefix = `${cardHeadline(input).header} · `;
  const reason = escapeTruncate(reasonText(input), BLOCK_KIT_LIMITS.headerText - prefix.length);
  return { type: 'header', block_id: blockId, text: plain(prefix + reason) };
}

function field(label: string, value: string): MrkdwnText {
  return mrkdwn(`*${label}*\n${value}`);
}

/**
 * Workflow, caller, the voice platform it came through, call status and when it came in, as section fields. The state is the header
 * and first line (cardHeadline); a resolved card drops the call status, which no longer matters.
 * "Received" is a Slack date token, so the age Slack shows is always current.
 */
export function summarySection(input: SummaryInput, blockId: string): SectionBlock {
  const fields = [field('Workflow', escapeTruncate(singleLine(input.workflowName), WORKFLOW_MAX)), field('Caller', callerText(input))];
  // Which platform's agent asked: every platform's card otherwise looks the same.
  if (input.platform) fields.push(field('Via', PLATFORM_NAMES[input.platform] ?? escapeTruncate(singleLine(input.platform), 40)));
  if (input.status !== 'resolved') fields.push(field('Call status', callStatusText(input.callStatus)));
  fields.push(field('Received', slackAgo(input.receivedAt)));
  return { type: 'section', block_id: blockId, fields };
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
