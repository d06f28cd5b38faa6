import { RESOLVE_CONFIRM } from '../../../shared/confirm-texts.js';
import type { HandoffStatus, Severity } from '../../../shared/schemas/enums.js';
import { raiseSeverity } from '../../domain/severity.js';
import { type ActionsBlock, type ButtonElement, type ConfirmDialog, plain } from './blocks.js';
import { severityLabel } from './format.js';

/** Button `action_id`s: the Bolt handlers route on these (docs/contract/slack.md#the-card). */
export const HANDOFF_ACTION_IDS = {
  claim: 'handoff_claim',
  release: 'handoff_release',
  escalate: 'handoff_escalate',
  resolve: 'handoff_resolve',
  reopen: 'handoff_reopen',
  note: 'handoff_note',
  details: 'handoff_details',
  callBack: 'handoff_call_back',
} as const;
export type HandoffActionId = (typeof HANDOFF_ACTION_IDS)[keyof typeof HANDOFF_ACTION_IDS];

/**
 * The action ids a card in `status` offers, in button order (docs/contract/slack.md#the-card). A resolved card keeps
 * only Reopen and Details. Details comes last: it changes nothing, it opens the only view of the
 * sensitive fields.
 */
export function actionIdsFor(status: HandoffStatus, callBack = false): HandoffActionId[] {
  if (status === 'resolved') return [HANDOFF_ACTION_IDS.reopen, HANDOFF_ACTION_IDS.details];
  const first = status === 'claimed' ? HANDOFF_ACTION_IDS.release : HANDOFF_ACTION_IDS.claim;
  // Call back sits beside Claim: it claims too, and it is how a person reaches a caller who hung up.
  const call = callBack ? [HANDOFF_ACTION_IDS.callBack] : [];
  return [first, ...call, HANDOFF_ACTION_IDS.escalate, HANDOFF_ACTION_IDS.resolve, HANDOFF_ACTION_IDS.note, HANDOFF_ACTION_IDS.details];
}

/**
 * Escalate pages people and Resolve ends the handoff, for whoever clicks, including on someone
 * else's claim: Slack asks first. (A confirm text is plain text: it cannot name the claimant.)
 * Escalate's says what it will do to this handoff: an urgent one has no severity step left.
 */
export function confirmFor(action: 'escalate' | 'resolve', severity: Severity): ConfirmDialog {
  if (action === 'resolve') {
    // The desktop window asks the same (shared/confirm-texts.ts).
    return { title: plain(RESOLVE_CONFIRM.title), text: plain(RESOLVE_CONFIRM.text), confirm: plain(RESOLVE_CONFIRM.confirm), deny: plain(RESOLVE_CONFIRM.deny), style: 'primary' };
  }
  const step = severity === 'urgent' ? 'It goes up one level (it is already Urgent)' : `It goes up one level and from ${severityLabel(severity)} to ${severityLabel(raiseSeverity(severity))}`;
  return {
    title: plain('Escalate this handoff?'),
    text: plain(`${step}, and the next level is paged. If someone claimed it, they are told.`),
    confirm: plain('Escalate'),
    deny: plain('Cancel'),
    style: 'danger',
  };
}

const BUTTON: Record<HandoffActionId, Pick<ButtonElement, 'text' | 'style'>> = {
  handoff_claim: { text: plain('Claim'), style: 'primary' },
  handoff_release: { text: plain('Release') },
  handoff_escalate: { text: plain('Escalate'), style: 'danger' },
  handoff_resolve: { text: plain('Resolve') },
  handoff_reopen: { text: plain('Reopen') },
  handoff_note: { text: plain('Add note') },
  handoff_details: { text: plain('Details') },
  handoff_call_back: { text: plain('Call back') },
};

function confirmOf(actionId: HandoffActionId, severity: Severity): Pick<ButtonElement, 'confirm'> {
  if (actionId === HANDOFF_ACTION_IDS.escalate) return { confirm: confirmFor('escalate', severity) };
  if (actionId === HANDOFF_ACTION_IDS.resolve) return { confirm: confirmFor('resolve', severity) };
  return {};
}

/**
 * What a screen reader says for a button: Slack reads `accessibility_label` instead of the text, so two
 * urgent cards from one line do not sound the same ("Claim", "Claim"). Names the handoff by severity and
 * id tail only: nothing about the caller (chat_data: link_only holds for it too).
 */
export function buttonAccessibilityLabel(actionId: HandoffActionId, severity: Severity, handoffId: string): string {
  return `${BUTTON[actionId].text.text} ${severityLabel(severity)} handoff ending ${handoffId.slice(-4).toUpperCase()}`;
}

/** The card's buttons, each carrying the handoff id as `value`; null for a resolved handoff. */
export function buildHandoffActions(handoffId: string, status: HandoffStatus, severity: Severity, blockId: string, callBack = false): ActionsBlock | null {
  const ids = actionIdsFor(status, callBack);
  if (ids.length === 0) return null;
  return {
    type: 'actions',
    block_id: blockId,
    elements: ids.map((actionId) => ({
      type: 'button',
      action_id: actionId,
      value: handoffId,
      ...BUTTON[actionId],
      accessibility_label: buttonAccessibilityLabel(actionId, severity, handoffId),
      ...confirmOf(actionId, severity),
    })),
  };
}
