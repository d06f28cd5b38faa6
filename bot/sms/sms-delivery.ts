import type { HandoffConfig } from '../config/load-config.js';
import { backoffMs } from '../outbox/backoff.js';
import type { DeliveryHandlers } from '../outbox/outcome.js';
import type { Store } from '../store/store.js';
import { smsText } from './sms-text.js';
import type { TwilioClient } from './twilio-client.js';

export interface SmsDeliveryDeps {
  store: Store;
  config: HandoffConfig;
  twilio: TwilioClient | null;
  from: string;
  random?: () => number;
}

const MAX_SMS_ATTEMPTS = 12;

/**
 * On-call SMS from the outbox, one row per number. Twilio has no idempotency key: the attempt is
 * recorded before the call, and a row whose earlier attempt may have gone out is sent again only
 * when Twilio said it failed. Losing a page is worse than a rare duplicate after a crash mid-call.
 */
export function createSmsDelivery(deps: SmsDeliveryDeps): DeliveryHandlers {
  return {
    async 'sms.send'(item) {
      if (!deps.twilio) return { type: 'give_up', code: 'sms_not_configured' };
      const h = deps.store.handoffs.get(item.handoffId);
      if (!h) return { type: 'give_up', code: 'handoff_missing' };
      const workflow = deps.config.workflows.get(h.workflowId);
      const to = String(item.payload.to ?? '');
      const body = smsText({
        workflowName: workflow?.name ?? h.workflowId,
        reason: workflow?.reasonSpecs.get(h.reason)?.label ?? h.reason,
        severity: h.severity,
        handoffId: h.id,
        ...(h.slackPermalink ? { actUrl: h.slackPermalink } : {}),
      });
      const result = await deps.twilio.sendSms({ to, from: deps.from, body });
      if (result.ok) return { type: 'done' };
      if (!result.retryable || item.attempts + 1 >= MAX_SMS_ATTEMPTS) return { type: 'give_up', code: `twilio_${result.code}` };
      return { type: 'retry', code: `twilio_${result.code}`, afterMs: result.retryAfterMs ?? backoffMs(item.attempts, deps.random) };
    },
  };
}
