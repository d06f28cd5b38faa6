/**
 * Token buckets per key (client IP for pairing): `capacity` attempts at once, refilled evenly over
 * `refillMs`. Pure apart from the injected clock; idle full buckets are forgotten so memory stays
 * bounded by the number of recently active keys.
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
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  if (opts.capacity < 1 || opts.refillMs <= 0) throw new RangeError('rate limit needs capacity >= 1 and refillMs > 0');
  const perMs = opts.capacity / opts.refillMs;
  const buckets = new Map<string, Bucket>();
  let lastSweep = opts.clock();

  const level = (b: Bucket, now: number): number => Math.min(opts.capacity, b.tokens + Math.max(0, now - b.at) * perMs);

  function sweep(now: number): void {
    if (now - lastSweep < opts.refillMs) return;
    lastSweep = now;
    for (const [key, b] of buckets) if (level(b, now) >= opts.capacity) buckets.delete(key);
  }

  return {
    get size() {
      return buckets.size;
    },
    take(key) {
      const now = opts.clock();
      sweep(now);
      const b = buckets.get(key) ?? { tokens: opts.capacity, at: now };
      const tokens = level(b, now);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: now });
        return { ok: true };
      }
      buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / perMs) };
    },
  };
}
