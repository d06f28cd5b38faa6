/**
 * A token bucket per key (client IP for pairing): `capacity` attempts at once, refilled evenly over
 * `refillMs`. Written as GCRA (one "theoretical arrival time" per key) so the arithmetic is exact in
 * integer milliseconds and a refused attempt costs nothing. Pure apart from the injected clock; keys
 * whose bucket is full again are forgotten, so memory is bounded by recently active keys.
 */
export interface RateLimitOptions {
  capacity: number;
  /** Time to refill a whole empty bucket. */
  refillMs: number;
  clock: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  take(key: string): RateDecision;
  /** What `take` would answer, without spending anything (for limits on failures only). */
  check(key: string): RateDecision;
  /** Gives back one `take` that turned out to cost nothing (reserved before an await, then not used). */
  refund(key: string): void;
  /** Keys currently remembered (for tests and metrics). */
  readonly size: number;
}

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  if (!Number.isInteger(opts.capacity) || opts.capacity < 1 || opts.refillMs <= 0) {
    throw new RangeError('rate limit needs an integer capacity >= 1 and refillMs > 0');
  }
  const interval = opts.refillMs / opts.capacity;
  const burst = (opts.capacity - 1) * interval;
  const tats = new Map<string, number>();
  let lastSweep = opts.clock();

  function sweep(now: number): void {
    if (now - lastSweep < opts.refillMs) return;
    lastSweep = now;
    for (const [key, tat] of tats) if (tat <= now) tats.delete(key);
  }

  return {
    get size() {
      return tats.size;
    },
    check(key) {
      const now = opts.clock();
      const wait = Math.max(tats.get(key) ?? now, now) - now - burst;
      return wait > 0 ? { ok: false, retryAfterMs: Math.ceil(wait) } : { ok: true };
    },
    take(key) {
      const now = opts.clock();
      sweep(now);
      const tat = Math.max(tats.get(key) ?? now, now);
      const wait = tat - now - burst;
      if (wait > 0) return { ok: false, retryAfterMs: Math.ceil(wait) };
      tats.set(key, tat + interval);
      return { ok: true };
    },
    refund(key) {
      const tat = tats.get(key);
      if (tat === undefined) return;
      if (tat - interval <= opts.clock()) tats.delete(key);
      else tats.set(key, tat - interval);
    },
  };
}
