import type { HandoffConfig } from '../config/load-config.js';
import { backoffMs } from '../../shared/backoff.js';
import type { DeliveryHandlers, DeliveryOutcome } from '../outbox/outcome.js';
import type { TwilioClient } from '../sms/twilio-client.js';
import type { Store } from '../store/store.js';
import { dialDecisionFor } from '../domain/dial-policy.js';
import { callBackTwiml } from './call-back-twiml.js';

export interface CallBackDeliveryDeps {
  store: Store;
  config: HandoffConfig;
  twilio: TwilioClient | null;
  /** `TWILIO_FROM`: the number Twilio calls the person from, and the caller id the caller sees. */
  from: string;
  clock: () => number;
  random?: () => number;
}

/** A person who clicked Call back is waiting for their phone to ring: after this, ringing would only surprise them. */
export const CALL_BACK_GIVE_UP_AFTER_MS = 2 * 60_000;
/** Twilio's `date_created` has whole seconds and its clock is not ours: how far back a found call still counts. */
const LOOKUP_SLACK_MS = 10_000;

/**
 * Places the Call back through Twilio's Calls API (docs/contract/reaching-the-caller.md#call-back): ring the person who clicked, and when
 * they answer, say which handoff it is and dial the caller. Twilio has no idempotency key, so before a
 * second attempt (a timeout, or a crash after the call was sent) the Calls list is read: a call to the
 * same phone placed since the first attempt that no other Call back recorded as its own means the
 * first attempt got through, and nobody is rung twice.
 */
export function createCallBackDelivery(deps: CallBackDeliveryDeps): DeliveryHandlers {
  const failed = (result: { retryable: boolean; code: string; retryAfterMs?: number }, attempts: number): DeliveryOutcome =>
    result.retryable
      ? { type: 'retry', code: `twilio_${result.code}`, afterMs: result.retryAfterMs ?? backoffMs(attempts, { baseMs: 1_000, capMs: 15_000 }, deps.random) }
      : { type: 'give_up', code: `twilio_${result.code}` };

  return {
    async 'voice.call_back'(item) {
      if (!deps.twilio) return { type: 'give_up', code: 'twilio_not_configured' };
      const h = await deps.store.handoffs.get(item.handoffId);
      if (!h) return { type: 'give_up', code: 'handoff_missing' };
      if (h.status === 'resolved') return { type: 'give_up', code: 'resolved' };
      // Decided again at delivery: the config may have changed since the click.
      if (!dialDecisionFor(deps.config, h.workflowId, h.callerId).ok || h.callerId === null) return { type: 'give_up', code: 'caller_not_dialable' };
      const to = deps.config.people.get(String(item.payload.user_id ?? ''));
      if (!to) return { type: 'give_up', code: 'no_phone' };
      const now = deps.clock();
      if (item.firstAttemptAt !== null) {
        if (now - item.firstAttemptAt >= CALL_BACK_GIVE_UP_AFTER_MS) return { type: 'give_up', code: 'gave_up_after_2m' };
        const listed = await deps.twilio.listCalls({ to, from: deps.from });
        if (!listed.ok) return failed(listed, item.attempts);
        const recent = listed.calls.filter((c) => c.dateCreatedMs >= item.firstAttemptAt! - LOOKUP_SLACK_MS);
        const known = await deps.store.callBacks.known(recent.map((c) => c.sid));
        const ours = recent.find((c) => !known.has(c.sid));
        if (ours) {
          await deps.store.callBacks.recordPlaced(item.id, h.id, ours.sid, now);
          return { type: 'done' };
        }
      }
      const workflow = deps.config.workflows.get(h.workflowId);
      const twiml = callBackTwiml({
        handoffId: h.id,
        workflowName: workflow?.name ?? h.workflowId,
        reason: workflow?.reasonSpecs.get(h.reason)?.label ?? h.reason,
        callerNumber: h.callerId,
        from: deps.from,
      });
      await deps.store.outbox.markAttemptStarted(item.id, now);
      const result = await deps.twilio.createCall({ to, from: deps.from, twiml });
      if (!result.ok) return failed(result, item.attempts);
      await deps.store.callBacks.recordPlaced(item.id, h.id, result.sid, deps.clock());
      return { type: 'done' };
    },
  };
}
