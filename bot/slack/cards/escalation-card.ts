import type { Severity } from '../../../shared/schemas/enums.js';
import { escapeTruncate, link, mention } from '../mrkdwn.js';
import { buildHandoffActions } from './actions.js';
import { type MessageBlock, type SlackMessage, mrkdwn } from './blocks.js';
import type { CardInput } from './card-input.js';
import { actorText, raisedText } from './format.js';
import { fallbackText, headerBlock, summarySection } from './summary.js';

export const ESCALATION_CARD_BLOCK_IDS = {
  title: 'ho_esc_title',
  header: 'ho_esc_header',
  summary: 'ho_esc_summary',
  link: 'ho_esc_link',
  actions: 'ho_esc_actions',
} as const;

export interface EscalationCardInput extends CardInput {
  /** The level this message announces (posted once per level). */
  level: number;
  /** A Slack user id, or `auto` for the escalation timer. */
  escalatedBy: string | null;
  /** chat.getPermalink of the owner-channel card; null when it is not posted yet. */
  permalink: string | null;
  /** The severity before this escalation raised it (null: unchanged, already urgent). */
  raisedFrom?: Severity | null;
}

function raised(input: EscalationCardInput): string {
  const text = raisedText(input.raisedFrom, input.severity);
  return text ? `.${text}` : '';
}

/**
 * The message a ladder level posts to a channel that does not show this handoff yet: the mention, the
 * level, a summary (no structured fields: the owner card has them), a link to
 * the original card and the same buttons.
 */
export function buildEscalationCard(input: EscalationCardInput): SlackMessage {
  const ids = ESCALATION_CARD_BLOCK_IDS;
  const who = input.escalatedBy === null ? '' : ` by ${actorText(input.escalatedBy)}`;
  const call = input.escalationMention === null ? '' : `${mention(input.escalationMention)} `;
  const blocks: MessageBlock[] = [
    { type: 'section', block_id: ids.title, text: mrkdwn(`${call}:arrow_double_up: *Escalated to level ${input.level}*${who}${raised(input)}`) },
    headerBlock(input, ids.header),
    summarySection(input, ids.summary),
    {
      type: 'context',
      block_id: ids.link,
      elements: [mrkdwn(originalCardLink(input.permalink, input.handoffId))],
    },
  ];
  const actions = buildHandoffActions(input.handoffId, input.status, input.severity, ids.actions, input.callBack === true);
  if (actions !== null) blocks.push(actions);
  // The level is said once, up front; the handoff's own state would repeat it.
  const summary = fallbackText({ ...input, status: 'open', escalationLevel: 0 });
  return { text: `Escalated to level ${input.level}: ${summary}`, blocks };
}

function originalCardLink(permalink: string | null, handoffId: string): string {
  const id = escapeTruncate(handoffId, 100);
  const linked = permalink === null ? null : link(permalink, 'Open the original card');
  return linked === null ? `Original card: handoff \`${id}\`` : `${linked} · \`${id}\``;
}

export interface EscalationPageInput {
  handoffId: string;
  level: number;
  /** The level's mention (S… group or U… user); null pages nobody by name. */
  mention: string | null;
  escalatedBy: string | null;
  severity: Severity;
  raisedFrom?: Severity | null;
  /** Where the handoff stands: a page for a claimed handoff asks for help, not for an owner. */
  status: 'open' | 'claimed' | 'resolved';
}

/**
 * A level that pages a channel already showing this handoff (its own card, or an earlier level's
 * escalation card) pages in that message's thread instead of posting a second card: the mention
 * notifies, the channel keeps one message per handoff.
 */
export function buildEscalationPage(input: EscalationPageInput): SlackMessage {
  const who = input.escalatedBy === null ? '' : ` by ${actorText(input.escalatedBy)}`;
  const call = input.mention === null ? '' : `${mention(input.mention)} `;
  const ask = input.status === 'claimed' ? ' The person on it asked for help.' : input.status === 'open' ? ' Nobody has claimed it yet.' : '';
  const text = `${call}:arrow_double_up: *Escalated to level ${input.level}*${who}.${ask}${raisedText(input.raisedFrom, input.severity)}`;
  return {
    text: `Escalated to level ${input.level}: handoff ${escapeTruncate(input.handoffId, 100)}`,
    blocks: [{ type: 'section', block_id: 'ho_esc_page', text: mrkdwn(text) }],
  };
}
