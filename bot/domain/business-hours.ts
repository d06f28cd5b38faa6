import { WEEKDAYS, type BusinessHours, type OpenWindow } from '../config/weekly-windows.js';
import { addDays, instantOfLocal, localTimeAt, weekdayOf, type LocalDate } from './zoned-time.js';

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
