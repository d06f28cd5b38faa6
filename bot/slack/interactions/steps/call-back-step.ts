import { escapeTruncate } from '../../mrkdwn.js';
import { refusalText } from '../refusal-text.js';
import type { ActionStep } from '../route-types.js';

/**
 * "Call back" (docs/contract/reaching-the-caller.md#call-back): claims the handoff if it is open and queues the Twilio call that rings
 * the clicker's phone and dials the caller, all through the one action path, so the card, timeline and
 * callbacks follow. Whoever has no phone under `people` is told how to add one; nothing changes.
 */
export const callBack: ActionStep = async (deps, input) => {
  const handoffId = input.value;
  const userId = input.userId;
  if (!deps.callBack) {
    await input.reply('Call back needs Twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM for the bot.');
    return;
  }
  // A caller still on the line waiting for a Claim is transferred by the claim itself: ringing the
  // person as well would call their phone twice.
  const wait = (await deps.store.handoffs.get(handoffId))?.connect;
  const live = wait?.state === 'waiting' && (wait.waitingUntil ?? 0) > deps.clock() && deps.config.people.has(userId);
  const action = live ? 'claim' : 'call_back';
  const result = await deps.perform({ handoffId, action, actor: { kind: 'user', userId } });
  deps.logger.info({ handoff_id: handoffId, action, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
  if (!result.ok) {
    await input.reply(refusalText(result.refusal, result.handoff, deps.config, userId, result.callingUser));
    return;
  }
  const phone = deps.config.people.get(userId) ?? '';
  if (live) {
    await input.reply(`The caller is on the line: they are being transferred to your phone (ending ${escapeTruncate(phone.slice(-4), 4)}) now.`);
    return;
  }
  await input.reply(
    `Calling your phone (ending ${escapeTruncate(phone.slice(-4), 4)}) now. Answer it and you are connected to the caller of \`${escapeTruncate(handoffId, 100)}\`.`,
  );
};
