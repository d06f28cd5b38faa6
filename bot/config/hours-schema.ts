import { z } from 'zod';
import { formatMinute, isKnownTimeZone, overlappingWindows, WEEKDAYS, type BusinessHours, type OpenWindow } from './weekly-windows.js';

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function clockTime(allowMidnightEnd: boolean) {
  return z.string().transform((text, ctx) => {
    if (allowMidnightEnd && text === '24:00') return 1440;
    const m = HH_MM.exec(text);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `must be a 24-hour time such as "08:00" or "17:30"${allowMidnightEnd ? ' ("24:00" for the end of the day)' : ''}` });
      return z.NEVER;
    }
    return Number(m[1]) * 60 + Number(m[2]);
  });
}

const weekdaySchema = z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` });

const openWindowSchema = z
  .strictObject({
    days: z.array(weekdaySchema).min(1, 'must name at least one day'),
    from: clockTime(false),
    to: clockTime(true),
  })
  .superRefine((w, ctx) => {
    if (w.from === w.to % 1440) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'is the same time as from: the window would be empty (use from "00:00" to "24:00" for a whole day)' });
    }
    const seen = new Set<string>();
    w.days.forEach((d, i) => {
      if (seen.has(d)) ctx.addIssue({ code: 'custom', path: ['days', i], message: `names ${d} twice` });
      seen.add(d);
    });
  });

/**
 * docs/contract/storms-ladder-hours.md#business-hours `hours`: the IANA time zone and the weekly open windows, each on some weekdays from
 * one wall-clock time to another (past midnight when `to` is not after `from`). Outside them the
 * workflow's `after_hours` block routes.
 */
export const hoursSpecSchema = z
  .strictObject({
    time_zone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as America/New_York or Europe/Berlin'),
    open: z.array(openWindowSchema).min(1, 'must list at least one open window (days, from, to)'),
  })
  .superRefine((h, ctx) => {
    for (const [a, b, day] of overlappingWindows(h.open)) {
      const other = h.open[a]!;
      ctx.addIssue({
        code: 'custom',
        path: ['open', b],
        message: `overlaps open[${a}] (${formatMinute(other.from)}-${formatMinute(other.to)}) on ${day}: windows may touch but not overlap`,
      });
    }
  });
export type HoursSpec = z.infer<typeof hoursSpecSchema>;

export function toBusinessHours(spec: HoursSpec): BusinessHours {
  return { timeZone: spec.time_zone, open: spec.open.map((w): OpenWindow => ({ days: w.days, from: w.from, to: w.to })) };
}
