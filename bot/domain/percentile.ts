/**
 * Percentiles by linear interpolation between closest ranks (Hyndman & Fan type 7, what spreadsheets'
 * PERCENTILE.INC and numpy use): the median of an even count is the mean of the two middle values.
 * `p` is a fraction in tenths (5 = median, 9 = p90) so every rank is exact integer arithmetic.
 */
export interface PercentileRanks {
  /** 1-based rank of the lower neighbour. */
  lower: number;
  /** 1-based rank of the upper neighbour (= lower at the top). */
  upper: number;
  /** Weight of the upper neighbour, 0 ≤ weight < 1. */
  weight: number;
}

export const MEDIAN_TENTHS = 5;
export const P90_TENTHS = 9;

export function percentileRanks(n: number, tenths: number): PercentileRanks {
  const scaled = (n - 1) * tenths;
  const lower = Math.floor(scaled / 10) + 1;
  return { lower, upper: Math.min(lower + 1, n), weight: (scaled % 10) / 10 };
}

/** The percentile from the values at its ranks (`valueAt(rank)`); null for an empty set. */
export function percentileFromRanks(n: number, tenths: number, valueAt: (rank: number) => number | undefined): number | null {
  if (n <= 0) return null;
  const r = percentileRanks(n, tenths);
  const lo = valueAt(r.lower);
  const hi = valueAt(r.upper);
  if (lo === undefined || hi === undefined) return null;
  return lo + (hi - lo) * r.weight;
}
