import type { HandoffConfig } from '../config/load-config.js';
import { backoffMs, OUTBOX_BACKOFF } from '../../shared/backoff.js';
import type { DeliveryHandlers } from '../outbox/outcome.js';
import type { Store } from '../store/store.js';
import { decideCardLink } from './card-link.js';
import { smsText } from './sms-text.js';
import type { TwilioClient } from './twilio-client.js';

export interface SmsDeliveryDeps {
  store: Store;
  config: HandoffConfig;
  twilio: TwilioClient | null;
  from: string;
  clock: () => number;
  random?: () => number;
  /** `HANDOFF_PUBLIC_URL`: lets an SMS whose card is late link to the bot's `/h/…` redirect instead. */
  publicUrl?: string | null;
}

/** How long a page keeps being retried through Twilio trouble, from its first attempt. */
export const SMS_GIVE_UP_AFTER_MS = 24 * 3_600_000;

/**
 * On-call SMS from the outbox, one row per number. Retryable failures (network, timeout, 429, 5xx)
 * are retried with backoff until 24 h after the first attempt or until the handoff is resolved
 * (nobody needs paging then); only a non-retryable Twilio answer gives up at once.
 *
 * Twilio has no idempotency key, so delivery is at-least-once: a timeout, or a crash after Twilio
 * accepted the message but before the outbox row was marked done, sends the SMS again. We prefer
 * a rare duplicate page to a lost one.
 */
export function createSmsDelivery(deps: SmsDeliveryDeps): DeliveryHandlers {
  return {
    async 'sms.send'(item) {
      if (!deps.twilio) return { type: 'give_up', code: 'sms_not_configured' };
      const h = await deps.store.handoffs.get(item.handoffId);
      if (!h) return { type: 'give_up', code: 'handoff_missing' };
      if (h.status === 'resolved') return { type: 'give_up', code: 'resolved' };
      const workflow = deps.config.workflows.get(h.workflowId);
      const to = String(item.payload.to ?? '');
      const now = deps.clock();
      // A row retried after a Twilio failure keeps the link the first attempt chose: no second wait.
      const link = decideCardLink({
        handoffId: h.id,
        permalink: h.slackPermalink,
        digestPermalink: h.slackPermalink ? null : ((await deps.store.stormDigests.digestOf(h.id))?.permalink ?? null),
        publicUrl: deps.publicUrl ?? null,
        queuedAt: item.firstAttemptAt === null ? item.createdAt : -Infinity,
        now,
      });
      if (link.type === 'wait') return { type: 'defer', afterMs: link.afterMs, paceUsed: false };
      const body = smsText({
        workflowName: workflow?.name ?? h.workflowId,
        reason: workflow?.reasonSpecs.get(h.reason)?.label ?? h.reason,
        severity: h.severity,
        handoffId: h.id,
        // An escalation level's page says which level paged.
        ...(typeof item.payload.level === 'number' ? { level: item.payload.level } : {}),
        ...(link.url ? { actUrl: link.url } : {}),
      });
      const firstAttemptAt = item.firstAttemptAt ?? now;
      await deps.store.outbox.markAttemptStarted(item.id, now);
      const result = await deps.twilio.sendSms({ to, from: deps.from, body });
      if (result.ok) return { type: 'done' };
      const code = `twilio_${result.code}`;
      if (!result.retryable) return { type: 'give_up', code };
      if ((await deps.store.handoffs.get(item.handoffId))?.status === 'resolved') return { type: 'give_up', code: 'resolved' };
      if (deps.clock() - firstAttemptAt >= SMS_GIVE_UP_AFTER_MS) return { type: 'give_up', code: `gave_up_after_24h:${code}` };
      return { type: 'retry', code, afterMs: result.retryAfterMs ?? backoffMs(item.attempts, OUTBOX_BACKOFF, deps.random) };
    },
  };
}
