import type { ActionName } from '../../../actions/action-types.js';
import { addPhoneText, refusalText } from '../refusal-text.js';
import type { ActionStep } from '../route-types.js';

/**
 * Claim, Release, Escalate, Resolve, Reopen: the same code path as the desktop API and the timer.
 * A refusal is answered ephemerally and names the handoff.
 */
export function performStep(action: ActionName): ActionStep {
  return async (deps, input) => {
    const handoffId = input.value;
    const result = await deps.perform({ handoffId, action, actor: { kind: 'user', userId: input.userId } });
    deps.logger.info({ handoff_id: handoffId, action, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
    if (!result.ok) {
      await input.reply(refusalText(result.refusal, result.handoff, deps.config));
      return;
    }
    // A caller waiting on the line was answered by this very claim (synchronously, from the event log).
    const connect = action === 'claim' ? (await deps.store.handoffs.get(handoffId))?.connect : undefined;
    if (connect?.state === 'no_phone' && connect.user === input.userId) {
      await input.reply(addPhoneText(input.userId, 'The claim is yours. The caller was waiting on the line to be transferred to whoever claimed'));
    }
  };
}
