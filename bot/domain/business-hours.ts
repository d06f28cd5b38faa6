import { addDays, instantOfLocal, localTimeAt, weekdayOf, type LocalDate } from './zoned-time.js';

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

/**
 * The instants one window occurrence covers: from the first moment the wall clock reads `from` on
 * `date` to the first moment it reads `to` (the next day when the window crosses midnight). A
 * daylight-saving change inside a window makes it an hour longer or shorter, never split or doubled.
 */
function occurrence(hours: BusinessHours, w: OpenWindow, date: LocalDate): [number, number] {
  const start = instantOfLocal(hours.timeZone, date, w.from);
  const end = w.to > w.from ? instantOfLocal(hours.timeZone, date, w.to) : instantOfLocal(hours.timeZone, addDays(date, 1), w.to);
  return [start, end];
}

/** Occurrences of every window starting on the local dates `first` … `first + count - 1`. */
function occurrences(hours: BusinessHours, first: LocalDate, count: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(first, i);
    const weekday = WEEKDAYS[weekdayOf(date)]!;
    for (const w of hours.open) if (w.days.includes(weekday)) out.push(occurrence(hours, w, date));
  }
  return out;
}

/** Whether `instant` falls in one of the open windows. */
export function isOpenAt(hours: BusinessHours, instant: number): boolean {
  const today = localTimeAt(hours.timeZone, instant);
  // A window that started yesterday may still be open (it crosses midnight); none starts later than today.
  return occurrences(hours, addDays(today, -1), 2).some(([start, end]) => start <= instant && instant < end);
}

/**
 * The next instant after `instant` at which open turns to closed or back, or null when that never
 * happens (windows that together cover the whole week). Adjacent windows count as one.
 */
export function nextChangeAfter(hours: BusinessHours, instant: number): number | null {
  const open = isOpenAt(hours, instant);
  const today = localTimeAt(hours.timeZone, instant);
  // Every weekday comes round within 8 days; edges come from the occurrences' own starts and ends.
  const edges = occurrences(hours, addDays(today, -1), 9)
    .flat()
    .filter((t) => t > instant)
    .sort((a, b) => a - b);
  for (const edge of edges) if (isOpenAt(hours, edge) !== open) return edge;
  return null;
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
