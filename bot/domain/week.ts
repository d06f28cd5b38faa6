const DAY = 86_400_000;

/**
 * Monday 00:00 UTC of the week holding `ms`. The weekly digest for the 7 days before a week start is
 * due from that moment; UTC so every process and restart agrees on the week.
 */
export function weekStartUtc(ms: number): number {
  const dayStart = Math.floor(ms / DAY) * DAY;
  // 1970-01-01 was a Thursday: day 0 -> 3 days after Monday.
  const sinceMonday = (Math.floor(ms / DAY) + 3) % 7;
  return dayStart - sinceMonday * DAY;
}
