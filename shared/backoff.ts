/**
 * The one retry-delay formula of the project (outbox deliveries, Slack, SMS, Call back, status
 * callbacks, the weekly digest, the desktop's reconnects): exponential steps from `baseMs`, times
 * `factor` (default 2) per retry, capped at `capMs`, with "equal jitter": half of the step is
 * fixed and half random, so many clients failing together spread out but never retry in a tight loop.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  factor?: number;
}

/** Delay before retry number `retry` (0: the retry after the first failure). */
export function backoffMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * (policy.factor ?? 2) ** Math.min(Math.max(0, Math.floor(retry)), 40));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Outbox rows (Slack, SMS, the digest): 1 s, 2 s, 4 s … up to 5 minutes. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000 };
