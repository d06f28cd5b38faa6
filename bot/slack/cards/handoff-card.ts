import { escapeTruncate, singleLine } from '../mrkdwn.js';
import { buildHandoffActions } from './actions.js';
import { type ContextBlock, type MessageBlock, type SectionBlock, type SlackMessage, mrkdwn } from './blocks.js';
import type { CardField, CardInput } from './card-input.js';
import { cardHeadline, type HeadlineInput } from './card-state.js';
import { byAt } from './format.js';
import { packedSections, plural } from './pack.js';
import { outcomeLabel, outcomeSection } from './outcome-picker.js';
import { fallbackText, headerBlock, summarySection } from './summary.js';
import { connectSection } from './connect-line.js';
import { callBackRefusedContext } from './call-back-refused.js';

export const HANDOFF_CARD_BLOCK_IDS = {
  incomplete: 'ho_card_incomplete',
  connect: 'ho_card_connect',
  header: 'ho_card_header',
  /** The first line: where the handoff stands (cardHeadline), with the mention when a person is needed. */
  state: 'ho_card_state',
  summary: 'ho_card_summary',
  /** Followed by `_0`, `_1`, …: one section per group of structured fields. */
  fieldsPrefix: 'ho_card_fields',
  fieldsMore: 'ho_card_fields_more',
  /** A `link_only` workflow's card: where the caller's details are instead of the fields. */
  withheld: 'ho_card_withheld',
  context: 'ho_card_context',
  actions: 'ho_card_actions',
  callBackRefused: 'ho_card_call_back_refused',
} as const;

/**
 * How much of the structured fields a card shows. Values are dictated notes of
 * up to 4,000 characters; a card is for deciding who acts, so each value is cut
 * at 1,000 (two long values share a 3,000-character section) and the fields
 * take at most 5 sections, which keeps the whole card far inside Slack's 50
 * blocks whatever the input. The full values are in the Details view.
 */
export const FIELD_LIMITS = {
  labelMax: 100,
  valueMax: 1000,
  sections: 5,
} as const;

/** `metadata` for chat.postMessage: crash recovery finds an already posted card by it (docs/contract/slack.md#when-slack-is-down). */
export function handoffCardMetadata(handoffId: string): {
  event_type: 'handoff_card';
  event_payload: { handoff_id: string };
} {
  return { event_type: 'handoff_card', event_payload: { handoff_id: handoffId } };
}

/** The card in the workflow's owner channel, for chat.postMessage and every chat.update after it. */
export function buildHandoffCard(input: CardInput): SlackMessage {
  const ids = HANDOFF_CARD_BLOCK_IDS;
  const blocks: MessageBlock[] = [];
  blocks.push(headerBlock(input, ids.header));
  blocks.push(stateSection(input, ids.state));
  // A caller waiting on the line (or who could not wait) is the next thing to know.
  const line = connectSection(input, ids.connect);
  if (line !== null) blocks.push(line);
  blocks.push(summarySection(input, ids.summary));
  const incomplete = incompleteContext(input, ids.incomplete);
  if (incomplete !== null) blocks.push(incomplete);
  if (input.withheld === true) blocks.push(withheldContext(ids.withheld));
  else blocks.push(...fieldBlocks(input.fields, ids.fieldsPrefix, ids.fieldsMore));
  blocks.push(historyContext(input, ids.context));
  if (input.status === 'resolved') blocks.push(outcomeSection(input.handoffId, input.outcome));
  const refused = callBackRefusedContext(input, ids.callBackRefused);
  if (refused !== null) blocks.push(refused);
  const actions = buildHandoffActions(input.handoffId, input.status, input.severity, ids.actions, input.callBack === true);
  if (actions !== null) blocks.push(actions);
  return { text: fallbackText(input), blocks };
}

/** At most this many problems are listed on the card; the rest are counted. */
export const INCOMPLETE_SHOWN = 6;

/** What the voice agent's request lacked or got wrong; the handoff was accepted anyway. */
export function incompleteContext(input: Pick<CardInput, 'intakeIssues'>, blockId: string): ContextBlock | null {
  const issues = input.intakeIssues ?? [];
  if (issues.length === 0) return null;
  const shown = issues.slice(0, INCOMPLETE_SHOWN).map((i) => escapeTruncate(singleLine(i), 200));
  const more = issues.length > INCOMPLETE_SHOWN ? ` (+${issues.length - INCOMPLETE_SHOWN} more)` : '';
  return {
    type: 'context',
    block_id: blockId,
    elements: [mrkdwn(`:warning: *Incomplete request*, accepted anyway: ${shown.join(' · ')}${more}`)],
  };
}

/** docs/contract/regulated-workflows.md: what a `link_only` card says instead of the caller's fields. */
export const WITHHELD_TEXT = ":lock: This line keeps callers' details off Slack. *Details* gives you a link, for you alone and for 10 minutes, to read them on our server.";

function withheldContext(blockId: string): ContextBlock {
  return { type: 'context', block_id: blockId, elements: [mrkdwn(WITHHELD_TEXT)] };
}

/** The first line under the header: where the handoff stands (see cardHeadline). */
export function stateSection(input: HeadlineInput, blockId: string): SectionBlock {
  return { type: 'section', block_id: blockId, text: mrkdwn(cardHeadline(input).line) };
}

/**
 * The non-sensitive structured fields as "*Label:* value" lines, packed into
 * as few sections as fit; whatever does not fit is counted in a "+N more" line.
 */
export function fieldBlocks(fields: readonly CardField[], blockIdPrefix: string, moreBlockId: string): MessageBlock[] {
  const lines = fields.map((f) => {
    const label = escapeTruncate(singleLine(f.label), FIELD_LIMITS.labelMax) || 'Field';
    const value = escapeTruncate(singleLine(f.value), FIELD_LIMITS.valueMax) || '_empty_';
    return `*${label}:* ${value}`;
  });
  return packedSections(lines, {
    maxSections: FIELD_LIMITS.sections,
    blockIdPrefix,
    moreBlockId,
    more: (hidden) => `+${plural(hidden, 'more field')} not shown on the card`,
  });
}

/** Who did what and when, plus the notes that change how the handoff is handled. */
export function historyContext(input: CardInput, blockId: string): ContextBlock {
  const lines: string[] = [`Received${byAt(null, input.receivedAt)} · \`${escapeTruncate(input.handoffId, 100)}\``];
  if (input.claimedBy !== null) lines.push(`Claimed${byAt(input.claimedBy, input.claimedAt)}`);
  if (input.escalationLevel > 0) {
    lines.push(`Escalated (level ${input.escalationLevel})${byAt(input.lastEscalatedBy, input.lastEscalatedAt)}`);
  }
  if (input.lastReleasedBy !== null) lines.push(`Released${byAt(input.lastReleasedBy, input.lastReleasedAt)}`);
  if (input.status === 'resolved') lines.push(`Resolved${byAt(input.resolvedBy, input.resolvedAt)} · ${outcomeLabel(input.outcome)}`);
  if (input.reopenedBy !== null) lines.push(`Reopened${byAt(input.reopenedBy, input.reopenedAt)}`);
  if (input.callbacksOff) lines.push(':no_entry_sign: Status callbacks are off for this handoff (webhook URL refused)');
  if (input.notesCount > 0) lines.push(`:memo: ${plural(input.notesCount, 'note')} in thread`);
  return { type: 'context', block_id: blockId, elements: lines.map((l) => mrkdwn(l)) };
}
