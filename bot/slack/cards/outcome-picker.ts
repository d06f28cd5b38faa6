import { OUTCOME_LABELS, OUTCOMES, type Outcome } from '../../../shared/schemas/outcome.js';
import { type SectionBlock, mrkdwn, plain } from './blocks.js';

export const OUTCOME_ACTION_ID = 'handoff_outcome';
export const OUTCOME_BLOCK_ID = 'ho_card_outcome';

/** The option value carries the handoff id: a select has no `value` of its own. */
export function outcomeOptionValue(handoffId: string, outcome: Outcome): string {
  return `${outcome}:${handoffId}`;
}

/** `outcome:ho_…` back into its parts; null for anything else (an old or forged payload). */
export function parseOutcomeOptionValue(value: string): { handoffId: string; outcome: Outcome } | null {
  const at = value.indexOf(':');
  if (at < 0) return null;
  const outcome = value.slice(0, at);
  const handoffId = value.slice(at + 1);
  if (!(OUTCOMES as readonly string[]).includes(outcome) || handoffId === '') return null;
  return { handoffId, outcome: outcome as Outcome };
}

/** The label of a logged outcome value; null for anything that is not one (old events have none). */
export function outcomeOf(value: unknown): string | null {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value) ? OUTCOME_LABELS[value as Outcome] : null;
}

export function outcomeLabel(outcome: Outcome | null | undefined): string {
  return OUTCOME_LABELS[outcome ?? 'handled'];
}

/**
 * The resolved card's outcome line with a picker beside it (docs/contract/outcomes.md#outcomes): Resolve stays one click
 * (`handled`), and whoever knows better amends it here. A section accessory, not an actions block: a
 * resolved card has no buttons.
 */
export function outcomeSection(handoffId: string, outcome: Outcome | null | undefined): SectionBlock {
  const option = (o: Outcome) => ({ text: plain(OUTCOME_LABELS[o]), value: outcomeOptionValue(handoffId, o) });
  return {
    type: 'section',
    block_id: OUTCOME_BLOCK_ID,
    text: mrkdwn(`*Outcome:* ${outcomeLabel(outcome)}`),
    accessory: {
      type: 'static_select',
      action_id: OUTCOME_ACTION_ID,
      placeholder: plain('Change outcome'),
      options: OUTCOMES.map(option),
      initial_option: option(outcome ?? 'handled'),
    },
  };
}
