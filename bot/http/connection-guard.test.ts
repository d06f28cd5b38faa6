import { describe, expect, it } from 'vitest';
import { connectionCapFor, FD_RESERVE_MIN, openFileLimit, heldBudgetFor, HELD_HEADROOM } from './connection-guard.js';

describe('connection cap', () => {
  it.each([
    [1024, 1024 - FD_RESERVE_MIN],
    [4096, 4096 - 1024],
    [20_000, 4096],
    [300, 44],
    [100, 16],
    [null, 1024 - FD_RESERVE_MIN],
    [Number.POSITIVE_INFINITY, 4096],
  ])('keeps file handles in reserve for a limit of %s: %s connections', (limit, cap) => {
    expect(connectionCapFor(limit)).toBe(cap);
  });

  it('reads the soft open-file limit from /proc/self/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n';
    expect(openFileLimit(text)).toBe(1024);
    expect(openFileLimit('Max open files            unlimited            unlimited            files')).toBe(Number.POSITIVE_INFINITY);
    expect(openFileLimit('nothing here')).toBeNull();
  });
});

describe('heldBudgetFor', () => {
  it.each([
    [768, undefined, 384],
    [768, 100, 100],
    [768, 5_000, 768 - HELD_HEADROOM],
    [4096, undefined, 2048],
    [16, undefined, 1],
    [16, 100, 1],
  ])('cap %i, configured %s: %i held at most', (cap, configured, expected) => expect(heldBudgetFor(cap, configured)).toBe(expected));
});
