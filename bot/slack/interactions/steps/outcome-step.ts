import { parseOutcomeOptionValue } from '../../cards/outcome-picker.js';
import { refusalText } from '../refusal-text.js';
import type { ActionStep } from '../route-types.js';

/** The resolved card's outcome picker amends the outcome Resolve recorded (docs/contract/outcomes.md#outcomes). */
export const pickOutcome: ActionStep = async (deps, input) => {
  const picked = parseOutcomeOptionValue(input.value);
  if (!picked) {
    await input.reply('That outcome is not one this app knows; nothing changed.');
    return;
  }
  const { handoffId, outcome } = picked;
  const result = await deps.perform({ handoffId, action: 'outcome', actor: { kind: 'user', userId: input.userId }, outcome });
  deps.logger.info({ handoff_id: handoffId, action: 'outcome', outcome, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
  if (!result.ok) await input.reply(refusalText(result.refusal, result.handoff, deps.config));
};
