import type { Workflow } from '../../config/load-config.js';
import type { FieldSpec } from '../../config/field-spec.js';
import { allFields, type DetailsField } from '../../domain/visible-fields.js';
import type { ChatHandoff } from '../chat-view.js';
import { escapeSplit, escapeTruncate, singleLine, slackDate } from '../mrkdwn.js';
import { type ContextBlock, type DividerBlock, type ModalView, type MrkdwnText, type SectionBlock, mrkdwn, plain } from './blocks.js';
import { callStatusText, reasonText, severityText, statusLabel } from './format.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';
import { plural } from './pack.js';

export const DETAILS_MODAL = {
  callbackId: 'handoff_details_modal',
  /** Block ids; field sections are `${fieldPrefix}_<field>_<part>`. */
  blockIds: {
    summary: 'ho_details_summary',
    toldCaller: 'ho_details_caller_message',
    platformSummary: 'ho_details_call_summary',
    incomplete: 'ho_details_incomplete',
    erased: 'ho_details_erased',
    withheld: 'ho_details_withheld',
    divider: 'ho_details_divider',
    fieldPrefix: 'ho_details_field',
    noFields: 'ho_details_no_fields',
    fieldsMore: 'ho_details_fields_more',
    footer: 'ho_details_footer',
  },
} as const;

/** What the Details view shows of a handoff: its chat view (chat-view.ts), so a `link_only` workflow's shows no caller data. */
export type DetailsHandoff = Pick<
  ChatHandoff,
  'id' | 'workflowId' | 'reason' | 'severity' | 'status' | 'escalationLevel' | 'callStatus' | 'receivedAt' | 'erasedAt' | 'personal' | 'withheld'
> &
  Partial<Pick<ChatHandoff, 'intakeIssues'>>;

/** The parts of the workflow's config the Details view needs. */
export interface DetailsWorkflow {
  name: string;
  fields: readonly Pick<FieldSpec, 'name' | 'label' | 'sensitive'>[];
  reasonLabel?: string | undefined;
}

export interface DetailsModalInput {
  handoff: DetailsHandoff;
  /** null when the workflow is no longer in the config. */
  workflow: DetailsWorkflow | null;
}

export function toDetailsModalInput(handoff: DetailsHandoff, workflow: Workflow | undefined): DetailsModalInput {
  if (workflow === undefined) return { handoff, workflow: null };
  return {
    handoff,
    workflow: { name: workflow.name, fields: workflow.fields, reasonLabel: workflow.reasonSpecs.get(handoff.reason)?.label },
  };
}

const LABEL_MAX = 100;
const SUMMARY_VALUE_MAX = 300;
/** A text field is at most 4,000 characters, at most 20,000 once escaped: 8 sections of 2,850. */
const PARTS_PER_FIELD = 8;

/**
 * The "Details" modal (views.open): everything the store still holds about a
 * handoff, sensitive structured fields included. Only the interaction handler
 * opens it, for a person allowed to act; its text is never logged or posted.
 * Values are escaped, kept whole where Slack's limits allow (long ones spread
 * over several sections), and the whole view stays within 100 blocks.
 */
export function buildDetailsModal(input: DetailsModalInput): ModalView {
  const { handoff: h } = input;
  const ids = DETAILS_MODAL.blockIds;
  const head: (SectionBlock | DividerBlock)[] = [summarySection(input)];
  const personal = h.personal;
  if (h.erasedAt !== null) {
    head.push({
      type: 'section',
      block_id: ids.erased,
      text: mrkdwn(
        `:wastebasket: The personal data of this handoff (caller id, structured fields, caller message) was erased on ${slackDate(h.erasedAt)} under the retention policy.`,
      ),
    });
  } else if (h.withheld) {
    head.push({ type: 'section', block_id: ids.withheld, text: mrkdwn(':lock: This line keeps callers\' details off Slack: they are on the Details page the bot serves.') });
  } else if (personal?.toldCaller != null) {
    const message = escapeTruncate(singleLine(personal.toldCaller), BLOCK_KIT_LIMITS.sectionText - 40) || '_empty_';
    head.push({ type: 'section', block_id: ids.toldCaller, text: mrkdwn(`*Caller was told*\n${message}`) });
  }
  if (personal?.platformSummary) {
    // The voice platform's own summary of the call: personal data, shown here and nowhere else.
    const summary = escapeTruncate(singleLine(personal.platformSummary), BLOCK_KIT_LIMITS.sectionText - 40) || '_empty_';
    head.push({ type: 'section', block_id: ids.platformSummary, text: mrkdwn(`*Call summary (from the voice platform)*\n${summary}`) });
  }
  if (h.intakeIssues && h.intakeIssues.length > 0) {
    const lines = h.intakeIssues.map((i) => `• ${escapeTruncate(singleLine(`${i.path}: ${i.message}`), 200)}`).join('\n');
    head.push({ type: 'section', block_id: ids.incomplete, text: mrkdwn(`*Incomplete request: what was missing or invalid*\n${lines}`) });
  }
  const footer: ContextBlock = {
    type: 'context',
    block_id: ids.footer,
    elements: [
      mrkdwn('🔒 Only you can see this. Do not copy sensitive fields into the thread.'),
      mrkdwn(`Handoff \`${escapeTruncate(h.id, 100)}\` · received ${slackDate(h.receivedAt)}`),
    ],
  };
  const body: (SectionBlock | ContextBlock | DividerBlock)[] = [];
  if (personal !== null) {
    body.push({ type: 'divider', block_id: ids.divider });
    // The divider, the footer and a possible "+N more" line are outside the fields' budget.
    body.push(...fieldSections(detailsFields(input), BLOCK_KIT_LIMITS.modalBlocks - head.length - 3));
  }
  return {
    type: 'modal',
    callback_id: DETAILS_MODAL.callbackId,
    private_metadata: h.id.slice(0, BLOCK_KIT_LIMITS.privateMetadata),
    title: plain('Handoff details'),
    close: plain('Close'),
    blocks: [...head, ...body, footer],
  };
}

function summaryField(label: string, value: string): MrkdwnText {
  return mrkdwn(`*${label}*\n${value === '' ? '_none_' : value}`);
}

function summarySection({ handoff: h, workflow }: DetailsModalInput): SectionBlock {
  const reason = escapeTruncate(reasonText({ reason: h.reason, ...(workflow?.reasonLabel ? { reasonLabel: workflow.reasonLabel } : {}) }), SUMMARY_VALUE_MAX);
  const escalated = h.escalationLevel > 0 ? `, escalated to level ${h.escalationLevel}` : '';
  const caller = h.withheld ? ':lock: _on the Details page_' : h.personal === null ? '_erased_' : escapeTruncate(singleLine(h.personal.caller), SUMMARY_VALUE_MAX);
  return {
    type: 'section',
    block_id: DETAILS_MODAL.blockIds.summary,
    fields: [
      summaryField('Workflow', escapeTruncate(singleLine(workflow?.name ?? h.workflowId), SUMMARY_VALUE_MAX)),
      summaryField('Reason', reason),
      summaryField('Severity', severityText(h.severity)),
      summaryField('State', `${statusLabel(h.status)}${escalated}`),
      summaryField('Call status', callStatusText(h.callStatus)),
      summaryField('Caller', caller),
    ],
  };
}

/** Every field the store holds, as the Details views list them (bot/domain/visible-fields.ts). */
function detailsFields({ handoff, workflow }: DetailsModalInput): DetailsField[] {
  return allFields(workflow?.fields ?? [], handoff.personal?.fields ?? {});
}

function labelLine(f: DetailsField): string {
  const label = escapeTruncate(singleLine(f.label), LABEL_MAX) || 'Field';
  if (f.unknown) return `*🔒 ${label} (sensitive, no longer in the config)*`;
  return f.sensitive ? `*🔒 ${label} (sensitive)*` : `*${label}*`;
}

/**
 * One section per field (more for a long value), within `budget` blocks.
 * Earlier fields may take several sections only while every later field can
 * still have one; fields beyond the budget are counted in a context line.
 * Line breaks in values are collapsed, as on the card, so a value cannot
 * fake a label line of its own.
 */
function fieldSections(fields: readonly DetailsField[], budget: number): (SectionBlock | ContextBlock)[] {
  const ids = DETAILS_MODAL.blockIds;
  if (fields.length === 0) return [{ type: 'context', block_id: ids.noFields, elements: [mrkdwn('This workflow has no structured fields.')] }];
  const blocks: (SectionBlock | ContextBlock)[] = [];
  let left = budget;
  let shown = 0;
  for (const [i, f] of fields.entries()) {
    if (left <= 0) break;
    const label = labelLine(f);
    const room = BLOCK_KIT_LIMITS.sectionText - label.length - 1;
    const later = Math.min(fields.length - i - 1, left - 1);
    const parts =
      f.value === null ? ['_not given_'] : escapeSplit(singleLine(f.value), room, Math.max(1, Math.min(PARTS_PER_FIELD, left - later)));
    if (parts.length === 0) parts.push('_empty_');
    parts.forEach((part, k) => {
      blocks.push({ type: 'section', block_id: `${ids.fieldPrefix}_${i}_${k}`, text: mrkdwn(k === 0 ? `${label}\n${part}` : part) });
    });
    left -= parts.length;
    shown += 1;
  }
  const hidden = fields.length - shown;
  if (hidden > 0) {
    blocks.push({ type: 'context', block_id: ids.fieldsMore, elements: [mrkdwn(`+${plural(hidden, 'more field')} did not fit in this view`)] });
  }
  return blocks;
}
