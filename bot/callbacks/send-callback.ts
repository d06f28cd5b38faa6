import { buildCallbackRequest, type CallbackEvent } from './callback-request.js';
import { guardedPost, type GuardedPostOptions, type GuardedPostResult } from './ssrf-guard.js';

export interface CallbackSenderDeps extends GuardedPostOptions {
  /** `HANDOFF_CALLBACK_SECRET` (whsec_…). */
  secret: string | Buffer;
  clock: () => number;
}

/** One attempt of one status callback: sign with a fresh timestamp, then the guarded POST. */
export function sendStatusCallback(
  deps: CallbackSenderDeps,
  input: { url: string; webhookId: string; event: CallbackEvent },
): Promise<GuardedPostResult> {
  const { body, headers } = buildCallbackRequest({
    secret: deps.secret,
    webhookId: input.webhookId,
    nowMs: deps.clock(),
    event: input.event,
  });
  return guardedPost(input.url, body, headers, deps);
}
