import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

function limiter(capacity: number, refillMs: number) {
  let now = 1_000_000;
  const l = createRateLimiter({ capacity, refillMs, clock: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe('createRateLimiter (GCRA token bucket)', () => {
  it('allows a full bucket at once, then refuses with the wait until one token is back', () => {
    const { l } = limiter(10, 60_000);
    for (let i = 0; i < 10; i++) expect(l.take('ip')).toEqual({ ok: true });
    expect(l.take('ip')).toEqual({ ok: false, retryAfterMs: 6_000 });
  });

  it.each([
    [5_999, false],
    [6_000, true],
  ])('after %i ms an emptied bucket of 10/min allows again: %s', (wait, allowed) => {
    const { l, advance } = limiter(10, 60_000);
    for (let i = 0; i < 10; i++) l.take('ip');
    advance(wait);
    expect(l.take('ip').ok).toBe(allowed);
  });

  it('does not charge refused attempts: hammering does not extend the wait', () => {
    const { l, advance } = limiter(2, 1_000);
    l.take('ip');
    l.take('ip');
    for (let i = 0; i < 50; i++) expect(l.take('ip').ok).toBe(false);
    advance(500);
    expect(l.take('ip').ok).toBe(true);
  });

  it('a refund gives back one take: the bucket is as if it never happened', () => {
    const { l } = limiter(2, 1_000);
    l.take('ip');
    l.take('ip');
    expect(l.take('ip').ok).toBe(false);
    l.refund('ip');
    expect(l.take('ip').ok).toBe(true);
    expect(l.take('ip').ok).toBe(false);
    l.refund('ip');
    l.refund('ip');
    expect(l.size).toBe(0);
    l.refund('never-seen');
    expect(l.size).toBe(0);
  });

  it('keeps a separate bucket per key', () => {
    const { l } = limiter(1, 1_000);
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
    expect(l.take('b').ok).toBe(true);
  });

  it('forgets keys whose bucket is full again', () => {
    const { l, advance } = limiter(3, 1_000);
    for (let i = 0; i < 100; i++) l.take(`ip${i}`);
    expect(l.size).toBe(100);
    advance(1_000);
    l.take('other');
    expect(l.size).toBe(1);
  });

  it('rejects a limit that could never allow anything', () => {
    expect(() => createRateLimiter({ capacity: 0, refillMs: 1_000, clock: Date.now })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: 1, refillMs: 0, clock: Date.now })).toThrow(RangeError);
  });
});
