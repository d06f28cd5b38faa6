/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl` (Node 20 has no Temporal). Every
 * function is pure: the zone's rules come from the ICU data Node ships with.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** A calendar date; month 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime extends LocalDate {
  /** Minutes since local midnight, 0-1439. */
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

/** The wall-clock reading of `instant` in `zone`, as if it were UTC (ms). */
function wallMs(zone: string, instant: number): number {
  // `format` and a fixed en-US pattern ("3/8/2026, 03:00:00") cost a third of `formatToParts`.
  const text = formatter(zone).format(new Date(instant));
  const m = WALL_CLOCK.exec(text);
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

const WALL_CLOCK = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{1,2}):(\d{2}):(\d{2})$/;

/** What a clock on the wall in `zone` shows at `instant`. */
export function localTimeAt(zone: string, instant: number): LocalTime {
  const wall = wallMs(zone, Math.floor(instant / 1000) * 1000);
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/** `date` moved by `days` calendar days (DST-free: calendar arithmetic on the date alone). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

/**
 * The first instant at which the wall clock in `zone` reads `minute` minutes after midnight of `date`
 * or later. A time that happens twice (autumn, clocks go back) gives its first occurrence; a time that
 * never happens (spring, clocks jump forward) gives the instant of the jump, when the wall clock first
 * passes it. `minute` may be 1440 (the next midnight).
 */
export function instantOfLocal(zone: string, date: LocalDate, minute: number): number {
  // Window edges repeat (the same few wall times on the same days), and each costs several ICU calls.
  const key = `${zone}|${date.year}-${date.month}-${date.day}|${minute}`;
  const known = edgeCache.get(key);
  if (known !== undefined) return known;
  if (edgeCache.size >= EDGE_CACHE_MAX) edgeCache.clear();
  const instant = computeInstantOfLocal(zone, date, minute);
  edgeCache.set(key, instant);
  return instant;
}

const EDGE_CACHE_MAX = 20_000;
const edgeCache = new Map<string, number>();

function computeInstantOfLocal(zone: string, date: LocalDate, minute: number): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE_MS;
  // The zone's offsets a day either side bound every offset that could apply (rule changes are hours apart).
  const offsets = new Set([wallMs(zone, wanted - DAY_MS) - (wanted - DAY_MS), wallMs(zone, wanted) - wanted, wallMs(zone, wanted + DAY_MS) - (wanted + DAY_MS)]);
  const exact = [...offsets].map((o) => wanted - o).filter((i) => wallMs(zone, i) === wanted);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the wall clock jumps over `wanted` somewhere between the two candidate instants.
  const candidates = [...offsets].map((o) => wanted - o);
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (wallMs(zone, mid) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** "Mon 9 Mar, 09:00": `instant` as a wall clock in `zone` reads, for people in that zone. */
export function formatLocal(zone: string, instant: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(instant),
  );
}
