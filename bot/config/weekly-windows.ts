// The shape of business hours as the config states them (weekly windows in a time zone) and the
// checks the config makes of them; what is open when is decided in bot/domain/business-hours.ts.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One weekly open window: on each of `days`, from `from` to `to` (minutes after local midnight). */
export interface OpenWindow {
  days: readonly Weekday[];
  /** 0-1439. */
  from: number;
  /** 1-1440; at or before `from`, the window runs past midnight into the next day. */
  to: number;
}

export interface BusinessHours {
  timeZone: string;
  open: readonly OpenWindow[];
}

const DAY_MINUTES = 1440;

/** Whether `zone` is a time zone ICU knows (IANA names such as `Europe/Berlin`, and `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * Pairs of windows whose weekly wall-clock spans overlap (windows that only touch do not), judged on
 * the week as a circle so Sunday night runs into Monday morning. Returned as [earlier index, later
 * index, the weekday where the later one starts to overlap].
 */
export function overlappingWindows(windows: readonly OpenWindow[]): [number, number, Weekday][] {
  const WEEK = 7 * DAY_MINUTES;
  const spans = windows.flatMap((w, i) =>
    w.days.map((day) => {
      const start = WEEKDAYS.indexOf(day) * DAY_MINUTES + w.from;
      const length = w.to > w.from ? w.to - w.from : w.to + DAY_MINUTES - w.from;
      return { i, day, start, length };
    }),
  );
  const found = new Map<string, [number, number, Weekday]>();
  for (const a of spans) {
    for (const b of spans) {
      if (a === b || a.i > b.i || (a.i === b.i && a.day === b.day)) continue;
      // b starts inside a, or a starts inside b, going round the week.
      const bInA = (b.start - a.start + WEEK) % WEEK < a.length;
      const aInB = (a.start - b.start + WEEK) % WEEK < b.length;
      if (!bInA && !aInB) continue;
      const key = `${a.i}:${b.i}`;
      if (!found.has(key)) found.set(key, [a.i, b.i, bInA ? b.day : a.day]);
    }
  }
  return [...found.values()];
}
