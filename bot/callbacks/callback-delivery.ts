import type { HandoffConfig } from '../config/load-config.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeliveryHandlers } from '../outbox/outcome.js';
import type { Store } from '../store/store.js';
import { callbackPayloadSchema, callbackRetryDelayMs, callbackWebhookId, shouldGiveUp, type CallbackEventType } from './callback-request.js';
import { sendStatusCallback } from './send-callback.js';
import type { GuardedPostOptions } from './ssrf-guard.js';

export interface CallbackDeliveryDeps {
  store: Store;
  config: HandoffConfig;
  secret: string | null;
  clock: () => number;
  metrics: Metrics;
  random?: () => number;
  /** Test seams of the guarded POST (resolver, transport, timeout). */
  guard?: Partial<GuardedPostOptions>;
}

/**
 * Status callbacks from the outbox: one signed, SSRF-guarded attempt per run, `webhook-id` stable
 * across retries, backoff for 24 h, then given up (metrics, timeline). A URL the guard refuses turns
 * callbacks off for the handoff; the handoff itself is untouched.
 */
export function createCallbackDelivery(deps: CallbackDeliveryDeps): DeliveryHandlers {
  const { store } = deps;
  return {
    async 'callback.send'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h || !h.callbacksEnabled || !h.webhookUrl || !deps.secret) return { type: 'done' };
      const workflow = deps.config.workflows.get(h.workflowId);
      const parsedData = callbackPayloadSchema.shape.data.safeParse(item.payload.data);
      if (!parsedData.success) return { type: 'give_up', code: 'bad_payload' };
      const now = deps.clock();
      const firstAttemptAt = item.firstAttemptAt ?? now;
      await store.outbox.markAttemptStarted(item.id, now);
      const result = await sendStatusCallback(
        { ...deps.guard, secret: deps.secret, clock: deps.clock, callbackHosts: workflow?.callback_hosts ?? [] },
        {
          url: h.webhookUrl,
          webhookId: callbackWebhookId(item.id),
          event: { type: item.payload.type as CallbackEventType, occurredAt: Number(item.payload.occurred_at ?? item.createdAt), data: parsedData.data },
        },
      );
      if (result.ok) return { type: 'done' };
      const err = result.error;
      if (err.disablesCallbacks) {
        await store.handoffs.disableCallbacks(h.id, `ssrf_refused:${err.reason ?? 'unknown'}`);
        deps.metrics.callbacksGivenUp.inc({ reason: 'ssrf_refused' });
        return { type: 'give_up', code: `ssrf_refused:${err.reason ?? 'unknown'}` };
      }
      if (err.refusedForGood) {
        // The receiver answered for good (410 Gone, 404, 401…): asking again for 24 h would change nothing.
        deps.metrics.callbacksGivenUp.inc({ reason: 'not_retryable' });
        return { type: 'give_up', code: `not_retryable:${err.code}` };
      }
      if (shouldGiveUp(firstAttemptAt, now)) {
        deps.metrics.callbacksGivenUp.inc({ reason: 'expired_24h' });
        return { type: 'give_up', code: `gave_up_after_24h:${err.code}` };
      }
      // `attempts` counts the tries before this one: this failure is number attempts + 1.
      return { type: 'retry', code: err.code, afterMs: callbackRetryDelayMs(item.attempts + 1, deps.random) };
    },
  };
}
