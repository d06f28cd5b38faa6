import { describe, expect, it } from 'vitest';
import { overlappingWindows, type BusinessHours, type OpenWindow } from '../config/weekly-windows.js';
import { isOpenAt, nextChangeAfter } from './business-hours.js';
import { instantOfLocal, localTimeAt } from './zoned-time.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const hm = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
const win = (days: OpenWindow['days'], from: string, to: string): OpenWindow => ({ days, from: hm(from), to: hm(to) });

const WEEKDAYS: OpenWindow['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const newYork = (...open: OpenWindow[]): BusinessHours => ({ timeZone: 'America/New_York', open });
const berlin = (...open: OpenWindow[]): BusinessHours => ({ timeZone: 'Europe/Berlin', open });

describe('wall-clock time in a zone', () => {
  it('reads the local date, minute and weekday on either side of a daylight-saving change', () => {
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT at 07:00Z.
    expect(localTimeAt('America/New_York', at('2026-03-08T06:59:00Z'))).toEqual({ year: 2026, month: 3, day: 8, minute: hm('01:59'), weekday: 6 });
    expect(localTimeAt('America/New_York', at('2026-03-08T07:00:00Z'))).toEqual({ year: 2026, month: 3, day: 8, minute: hm('03:00'), weekday: 6 });
  });

  it('maps a wall time that happens twice to its first occurrence, and one that never happens to the jump', () => {
    const nov1 = { year: 2026, month: 11, day: 1 };
    expect(iso(instantOfLocal('America/New_York', nov1, hm('01:30')))).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT, not EST
    const mar8 = { year: 2026, month: 3, day: 8 };
    expect(iso(instantOfLocal('America/New_York', mar8, hm('02:30')))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(instantOfLocal('Europe/Berlin', { year: 2026, month: 3, day: 29 }, hm('02:15')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOfLocal('Europe/Berlin', { year: 2026, month: 10, day: 25 }, hm('02:30')))).toBe('2026-10-25T00:30:00.000Z'); // CEST first
    expect(iso(instantOfLocal('UTC', { year: 2026, month: 12, day: 31 }, 1440))).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('business hours across daylight-saving changes', () => {
  const office = newYork(win(WEEKDAYS, '09:00', '17:00'));

  it('New York in March: Friday closes at 17:00 EST and Monday opens at 09:00 EDT, an hour earlier in UTC', () => {
    expect(isOpenAt(office, at('2026-03-06T21:59:00Z'))).toBe(true);
    expect(iso(nextChangeAfter(office, at('2026-03-06T21:59:00Z')))).toBe('2026-03-06T22:00:00.000Z');
    expect(isOpenAt(office, at('2026-03-06T22:00:00Z'))).toBe(false);
    expect(iso(nextChangeAfter(office, at('2026-03-06T22:00:00Z')))).toBe('2026-03-09T13:00:00.000Z');
    expect(isOpenAt(office, at('2026-03-09T12:59:59Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-03-09T13:00:00Z'))).toBe(true);
    expect(iso(nextChangeAfter(office, at('2026-03-09T13:00:00Z')))).toBe('2026-03-09T21:00:00.000Z');
  });

  it('New York in November: Friday closes at 17:00 EDT and Monday opens at 09:00 EST', () => {
    expect(iso(nextChangeAfter(office, at('2026-10-30T20:00:00Z')))).toBe('2026-10-30T21:00:00.000Z');
    expect(iso(nextChangeAfter(office, at('2026-10-31T12:00:00Z')))).toBe('2026-11-02T14:00:00.000Z');
    expect(isOpenAt(office, at('2026-11-02T13:30:00Z'))).toBe(false);
    expect(isOpenAt(office, at('2026-11-02T14:00:00Z'))).toBe(true);
  });

  it('Europe/Berlin: 08:00 opens at 07:00Z in winter and 06:00Z in summer, switching on the last Sundays of March and October', () => {
    const hours = berlin(win(WEEKDAYS, '08:00', '18:00'));
    expect(iso(nextChangeAfter(hours, at('2026-03-27T17:00:00Z')))).toBe('2026-03-30T06:00:00.000Z');
    expect(isOpenAt(hours, at('2026-03-27T16:59:00Z'))).toBe(true); // 17:59 CET
    expect(isOpenAt(hours, at('2026-03-27T17:00:00Z'))).toBe(false);
    expect(iso(nextChangeAfter(hours, at('2026-10-23T15:59:00Z')))).toBe('2026-10-23T16:00:00.000Z'); // 18:00 CEST
    expect(iso(nextChangeAfter(hours, at('2026-10-24T12:00:00Z')))).toBe('2026-10-26T07:00:00.000Z');
  });

  it('a night window across midnight is an hour shorter on the spring night and an hour longer on the autumn night', () => {
    const nights = newYork(win(['sat'], '22:00', '06:00'));
    // 22:00 EST Saturday -> 06:00 EDT Sunday: 7 hours.
    expect(isOpenAt(nights, at('2026-03-08T02:59:00Z'))).toBe(false);
    expect(isOpenAt(nights, at('2026-03-08T03:00:00Z'))).toBe(true);
    expect(iso(nextChangeAfter(nights, at('2026-03-08T03:00:00Z')))).toBe('2026-03-08T10:00:00.000Z');
    // 22:00 EDT Saturday -> 06:00 EST Sunday: 9 hours.
    expect(iso(nextChangeAfter(nights, at('2026-10-31T12:00:00Z')))).toBe('2026-11-01T02:00:00.000Z');
    expect(iso(nextChangeAfter(nights, at('2026-11-01T02:00:00Z')))).toBe('2026-11-01T11:00:00.000Z');
    expect(isOpenAt(nights, at('2026-11-01T10:59:00Z'))).toBe(true);
  });

  it('a window that opens inside the skipped hour opens at the jump; one in the repeated hour does not close and reopen', () => {
    const spring = newYork(win(['sun'], '02:30', '04:00'));
    expect(isOpenAt(spring, at('2026-03-08T06:59:59Z'))).toBe(false); // 01:59:59 EST
    expect(isOpenAt(spring, at('2026-03-08T07:00:00Z'))).toBe(true); // 03:00 EDT
    expect(iso(nextChangeAfter(spring, at('2026-03-08T07:00:00Z')))).toBe('2026-03-08T08:00:00.000Z');
    const autumn = newYork(win(['sun'], '01:30', '03:00'));
    expect(isOpenAt(autumn, at('2026-11-01T05:29:00Z'))).toBe(false);
    expect(isOpenAt(autumn, at('2026-11-01T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(isOpenAt(autumn, at('2026-11-01T06:15:00Z'))).toBe(true); // 01:15 EST, the second time round
    expect(iso(nextChangeAfter(autumn, at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T08:00:00.000Z');
  });
});

describe('windows across midnight and round the week', () => {
  it('a Sunday-night window stays open into Monday morning', () => {
    const hours: BusinessHours = { timeZone: 'UTC', open: [win(['sun'], '22:00', '02:00')] };
    expect(isOpenAt(hours, at('2026-06-07T21:59:00Z'))).toBe(false); // Sunday
    expect(isOpenAt(hours, at('2026-06-07T23:00:00Z'))).toBe(true);
    expect(isOpenAt(hours, at('2026-06-08T01:59:00Z'))).toBe(true); // Monday
    expect(isOpenAt(hours, at('2026-06-08T02:00:00Z'))).toBe(false);
    expect(iso(nextChangeAfter(hours, at('2026-06-08T02:00:00Z')))).toBe('2026-06-14T22:00:00.000Z');
  });

  it('touching windows count as one opening, and a week with no gap never changes', () => {
    const split: BusinessHours = { timeZone: 'Europe/Berlin', open: [win(['mon'], '08:00', '12:00'), win(['mon'], '12:00', '18:00')] };
    expect(iso(nextChangeAfter(split, at('2026-06-08T07:00:00Z')))).toBe('2026-06-08T16:00:00.000Z');
    const always: BusinessHours = { timeZone: 'America/New_York', open: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: 0, to: 1440 }] };
    expect(isOpenAt(always, at('2026-03-08T07:30:00Z'))).toBe(true);
    expect(nextChangeAfter(always, at('2026-03-08T07:30:00Z'))).toBeNull();
  });
});

describe('overlapping windows', () => {
  it.each([
    ['same day', [win(['mon'], '08:00', '12:00'), win(['mon'], '11:00', '13:00')], [[0, 1, 'mon']]],
    ['past midnight into the next day', [win(['fri'], '22:00', '06:00'), win(['sat'], '05:00', '09:00')], [[0, 1, 'sat']]],
    ['Sunday night into Monday', [win(['mon'], '00:30', '02:00'), win(['sun'], '23:00', '01:00')], [[0, 1, 'mon']]],
    ['touching only', [win(['mon'], '08:00', '12:00'), win(['mon'], '12:00', '13:00'), win(['sun'], '20:00', '08:00')], []],
    ['different days', [win(['mon', 'wed'], '08:00', '18:00'), win(['tue'], '08:00', '18:00')], []],
  ])('%s', (_name, windows, expected) => {
    expect(overlappingWindows(windows as OpenWindow[])).toEqual(expected);
  });
});
