// Slack's Web API rate limits as token buckets (api.slack.com/apis/rate-limits):
// chat.postMessage is "special": about 1 message per second per channel, with
// short bursts allowed; the other methods belong to tiers counted per method
// per workspace (Tier 2: 20+/min, Tier 3: 50+/min, Tier 4: 100+/min). An
// exhausted bucket answers HTTP 429 with `Retry-After` in whole seconds.

export interface BucketSpec {
  /** Tokens per second. */
  ratePerSec: number;
  /** Most tokens a bucket holds: how long a burst may be. */
  burst: number;
}

export interface RateLimitOptions {
  /** chat.postMessage, one bucket per channel. */
  postPerChannel: BucketSpec;
  /** Per-method buckets for the tiered methods (one bucket per method for the workspace). */
  tiers: Record<string, BucketSpec>;
}

const TIER2: BucketSpec = { ratePerSec: 20 / 60, burst: 5 };
const TIER3: BucketSpec = { ratePerSec: 50 / 60, burst: 10 };
const TIER4: BucketSpec = { ratePerSec: 100 / 60, burst: 20 };

/** The tier of each method the bot calls, from Slack's method reference pages. */
export const SLACK_RATE_LIMITS: RateLimitOptions = {
  postPerChannel: { ratePerSec: 1, burst: 4 },
  tiers: {
    'chat.update': TIER3,
    'chat.delete': TIER3,
    'conversations.history': TIER3,
    'conversations.replies': TIER3,
    'chat.getPermalink': TIER4,
    'chat.postEphemeral': TIER4,
    'views.open': TIER4,
    'views.update': TIER4,
    'users.info': TIER4,
    'conversations.info': TIER3,
    'auth.test': TIER4,
    'team.info': TIER3,
    'users.list': TIER2,
  },
};

interface Bucket {
  tokens: number;
  at: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

/** Takes one token from `bucket` at `now` (pure: returns the bucket's next state). */
export function takeToken(bucket: Bucket | undefined, spec: BucketSpec, now: number): { bucket: Bucket; decision: RateDecision } {
  const start = bucket ?? { tokens: spec.burst, at: now };
  const tokens = Math.min(spec.burst, start.tokens + (Math.max(0, now - start.at) / 1000) * spec.ratePerSec);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, decision: { ok: true } };
  const waitSec = (1 - tokens) / spec.ratePerSec;
  return { bucket: { tokens, at: now }, decision: { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitSec)) } };
}

/** The emulator's buckets; `check` is called for each authenticated call before the method runs. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private limits: RateLimitOptions | null;

  constructor(
    private readonly clock: () => number,
    limits: RateLimitOptions | null,
  ) {
    this.limits = limits;
  }

  get enabled(): boolean {
    return this.limits !== null;
  }

  /** Turns limits on (Slack's, or the given ones) or off (`null`); buckets start full again. */
  configure(limits: RateLimitOptions | null): void {
    this.limits = limits;
    this.buckets.clear();
  }

  check(method: string, channel: string | undefined): RateDecision {
    if (!this.limits) return { ok: true };
    let key: string;
    let spec: BucketSpec | undefined;
    if (method === 'chat.postMessage') {
      key = `post:${channel ?? ''}`;
      spec = this.limits.postPerChannel;
    } else {
      key = method;
      spec = this.limits.tiers[method];
    }
    if (!spec) return { ok: true };
    const { bucket, decision } = takeToken(this.buckets.get(key), spec, this.clock());
    this.buckets.set(key, bucket);
    return decision;
  }
}
