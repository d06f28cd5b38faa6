import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { HANDOFF_ACTION_IDS } from '../cards/actions.js';
import { escapeTruncate } from '../mrkdwn.js';
import type { InteractionDeps } from './register-interactions.js';
import { refusalText } from './refusal-text.js';

/**
 * "Call back" (SPEC section 9): claims the handoff if it is open and queues the Twilio call that rings
 * the clicker's phone and dials the caller, all through the one action path, so the card, timeline and
 * callbacks follow. Whoever has no phone under `people` is told how to add one; nothing changes.
 */
export function registerCallBackAction(app: App, deps: Pick<InteractionDeps, 'store' | 'config' | 'logger' | 'perform' | 'callBack'>): void {
  app.action<BlockAction<ButtonAction>>(HANDOFF_ACTION_IDS.callBack, async ({ ack, body, respond }) => {
    await ack();
    const handoffId = body.actions[0]?.value ?? '';
    const userId = body.user.id;
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (!deps.callBack) {
      await say('Call back needs Twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM for the bot.');
      return;
    }
    // A caller still on the line waiting for a Claim is transferred by the claim itself: ringing the
    // person as well would call their phone twice.
    const wait = deps.store.handoffs.get(handoffId)?.connect;
    const live = wait?.state === 'waiting' && (wait.waitingUntil ?? 0) > Date.now() && deps.config.people.has(userId);
    const action = live ? 'claim' : 'call_back';
    const result = deps.perform({ handoffId, action, actor: { kind: 'user', userId } });
    deps.logger.info({ handoff_id: handoffId, action, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
    if (!result.ok) {
      const h = result.handoff;
      await say(refusalText(result.refusal, h, (h && deps.config.workflows.get(h.workflowId)?.name) ?? 'these', userId));
      return;
    }
    const phone = deps.config.people.get(userId) ?? '';
    if (live) {
      await say(`The caller is on the line: they are being transferred to your phone (ending ${escapeTruncate(phone.slice(-4), 4)}) now.`);
      return;
    }
    await say(
      `Calling your phone (ending ${escapeTruncate(phone.slice(-4), 4)}) now. Answer it and you are connected to the caller of \`${escapeTruncate(handoffId, 100)}\`.`,
    );
  });
}
