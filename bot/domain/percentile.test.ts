import { describe, expect, it } from 'vitest';
import { MEDIAN_TENTHS, P90_TENTHS, percentileFromRanks, percentileRanks } from './percentile.js';

const of = (values: number[], tenths: number) => percentileFromRanks(values.length, tenths, (rank) => values[rank - 1]);

describe('percentiles between closest ranks', () => {
  it.each([
    [[7], 7, 7],
    [[1, 2], 1.5, 1.9],
    [[1, 2, 3], 2, 2.8],
    [[10, 20, 30, 40], 25, 37],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
  ])('%j: median %d, p90 %d', (values, median, p90) => {
    expect(of(values, MEDIAN_TENTHS)).toBeCloseTo(median, 9);
    expect(of(values, P90_TENTHS)).toBeCloseTo(p90, 9);
  });

  it('is null for no values, and never reaches past the last rank', () => {
    expect(of([], MEDIAN_TENTHS)).toBeNull();
    expect(percentileRanks(1, P90_TENTHS)).toEqual({ lower: 1, upper: 1, weight: 0 });
    expect(percentileRanks(11, P90_TENTHS)).toEqual({ lower: 10, upper: 11, weight: 0 });
  });
});
