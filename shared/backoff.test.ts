import { describe, expect, it } from 'vitest';
import { backoffMs, OUTBOX_BACKOFF } from './backoff.js';

describe('backoffMs', () => {
  const policy = { baseMs: 1000, capMs: 30_000 };
  it.each([
    [0, 0, 500],
    [0, 1, 1000],
    [1, 0, 1000],
    [3, 1, 8000],
    [5, 0.5, 22_500],
    [10, 1, 30_000],
    [10, 0, 15_000],
    [1_000, 1, 30_000],
  ])('retry %i with random %d waits %i ms', (retry, r, ms) => {
    expect(backoffMs(retry, policy, () => r)).toBe(ms);
  });

  it('grows by the policy factor and stays within half to all of each step', () => {
    const steps = [0, 1, 2, 3].map((n) => backoffMs(n, { baseMs: 5_000, factor: 6, capMs: 3_600_000 }, () => 1));
    expect(steps).toEqual([5_000, 30_000, 180_000, 1_080_000]);
    for (let n = 0; n < 12; n++) {
      const d = backoffMs(n, OUTBOX_BACKOFF);
      const step = Math.min(OUTBOX_BACKOFF.capMs, 1_000 * 2 ** n);
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    }
  });
});
