import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { firstInstantReading, isIanaTimeZone, minutesOfDay, nextWindow, windowAt, WEEKDAYS, type MaintenanceWindow } from '../../src/domain/maintenance-window.js';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | undefined): string | undefined => d?.toISOString();
const opening = (windows: MaintenanceWindow[], when: string) => {
  const found = windowAt(windows, at(when));
  return found === undefined ? undefined : { opens: iso(found.opens), closes: iso(found.closes) };
};

describe('maintenance windows', () => {
  it.each([
    // Europe/Berlin springs forward 2027-03-28 02:00 CET -> 03:00 CEST (01:00Z): a 01:00-05:00 window lasts 3 hours.
    ['Berlin, spring forward', { days: ['Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' }, '2027-03-28T01:30:00Z', '2027-03-28T00:00:00.000Z', '2027-03-28T03:00:00.000Z'],
    // A start inside the skipped hour opens when the clock jumps past it.
    ['Berlin, start skipped', { days: ['Sun'], start: '02:30', end: '04:00', timeZone: 'Europe/Berlin' }, '2027-03-28T01:00:00Z', '2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    // Berlin falls back 2027-10-31 03:00 CEST -> 02:00 CET (01:00Z): 01:00-05:00 lasts 5 hours.
    ['Berlin, fall back', { days: ['Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' }, '2027-10-31T03:59:00Z', '2027-10-30T23:00:00.000Z', '2027-10-31T04:00:00.000Z'],
    // America/New_York falls back 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z): 01:00-03:00 lasts 3 hours.
    ['New York, fall back', { days: ['Sun'], start: '01:00', end: '03:00', timeZone: 'America/New_York' }, '2026-11-01T07:30:00Z', '2026-11-01T05:00:00.000Z', '2026-11-01T08:00:00.000Z'],
    // A start in the repeated hour opens at its first occurrence.
    ['New York, start repeated', { days: ['Sun'], start: '01:30', end: '02:30', timeZone: 'America/New_York' }, '2026-11-01T06:10:00Z', '2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z'],
    // New York springs forward 2027-03-14 02:00 EST -> 03:00 EDT (07:00Z).
    ['New York, spring forward', { days: ['Sun'], start: '00:00', end: '04:00', timeZone: 'America/New_York' }, '2027-03-14T07:00:00Z', '2027-03-14T05:00:00.000Z', '2027-03-14T08:00:00.000Z'],
    // Crossing midnight: the day named is the day the window starts; Saturday night runs into Sunday.
    ['across midnight', { days: ['Sat'], start: '22:00', end: '02:00', timeZone: 'Europe/Berlin' }, '2026-12-05T23:30:00Z', '2026-12-05T21:00:00.000Z', '2026-12-06T01:00:00.000Z'],
    // Across midnight into the spring-forward night: Saturday 23:00 CET to Sunday 04:00 CEST is 4 hours, not 5.
    ['across midnight and DST', { days: ['Sat'], start: '23:00', end: '04:00', timeZone: 'Europe/Berlin' }, '2027-03-28T01:00:00Z', '2027-03-27T22:00:00.000Z', '2027-03-28T02:00:00.000Z'],
    ['until 24:00', { days: ['Mon'], start: '20:00', end: '24:00', timeZone: 'UTC' }, '2026-12-07T23:59:59Z', '2026-12-07T20:00:00.000Z', '2026-12-08T00:00:00.000Z'],
  ] as const)('%s', (_name, window, when, opens, closes) => {
    expect(opening([{ ...window, days: [...window.days] }], when)).toEqual({ opens, closes });
  });

  it('is closed outside its days and hours, and a window wholly in a skipped hour does not open', () => {
    const berlin: MaintenanceWindow = { days: ['Sun'], start: '01:00', end: '05:00', timeZone: 'Europe/Berlin' };
    expect(opening([berlin], '2027-03-28T03:00:00Z')).toBeUndefined(); // 05:00 CEST: closed (exclusive end)
    expect(opening([berlin], '2027-03-27T23:59:59Z')).toBeUndefined(); // 00:59:59 CET
    expect(opening([berlin], '2027-03-29T00:30:00Z')).toBeUndefined(); // Monday
    const skipped: MaintenanceWindow = { days: ['Sun'], start: '02:10', end: '02:50', timeZone: 'Europe/Berlin' };
    expect(nextWindow([skipped], at('2027-03-27T12:00:00Z')).opens.toISOString()).toBe('2027-04-04T00:10:00.000Z');
  });

  it('finds the next opening, merging windows that overlap or touch', () => {
    const windows: MaintenanceWindow[] = [
      { days: ['Sat'], start: '22:00', end: '02:00', timeZone: 'Europe/Berlin' },
      { days: ['Sun'], start: '02:00', end: '04:00', timeZone: 'Europe/Berlin' },
      { days: ['Wed'], start: '12:00', end: '13:00', timeZone: 'Asia/Kolkata' },
    ];
    // Wednesday 2026-12-02 10:00Z: Kolkata's noon (06:30Z) has passed; next is Saturday night, merged into Sunday's.
    expect(nextWindow(windows, at('2026-12-02T10:00:00Z'))).toEqual({ opens: at('2026-12-05T21:00:00Z'), closes: at('2026-12-06T03:00:00Z') });
    expect(nextWindow(windows, at('2026-12-02T06:45:00Z'))).toEqual({ opens: at('2026-12-02T06:30:00Z'), closes: at('2026-12-02T07:30:00Z') });
  });

  it('validates zones and times', () => {
    expect(isIanaTimeZone('Europe/Berlin')).toBe(true);
    expect(isIanaTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    for (const bad of ['Europe/Berln', '+01:00', 'CET+1', '', '../etc']) expect(isIanaTimeZone(bad)).toBe(false);
    expect(minutesOfDay('24:00')).toBe(1440);
    expect(minutesOfDay('23:59')).toBe(1439);
    for (const bad of ['24:01', '7:00', '12:60', '12-00']) expect(minutesOfDay(bad)).toBeUndefined();
  });

  it('reads only whole HH:MM times', () => {
    for (const bad of ['x12:00', '12:00x', '112:00', '12:000', ' 12:00']) expect(minutesOfDay(bad)).toBeUndefined();
    expect(minutesOfDay('00:00')).toBe(0);
  });

  it('takes an end equal to its start as the same time the next day: a whole day', () => {
    const allDay: MaintenanceWindow = { days: ['Tue'], start: '10:00', end: '10:00', timeZone: 'UTC' };
    expect(opening([allDay], '2026-12-08T10:00:00Z')).toEqual({ opens: '2026-12-08T10:00:00.000Z', closes: '2026-12-09T10:00:00.000Z' });
  });

  it('at the instant a window closes, the next opening is the following one', () => {
    const sunday: MaintenanceWindow = { days: ['Sun'], start: '01:00', end: '03:00', timeZone: 'UTC' };
    expect(nextWindow([sunday], at('2026-12-06T03:00:00Z'))).toEqual({ opens: at('2026-12-13T01:00:00Z'), closes: at('2026-12-13T03:00:00Z') });
    expect(nextWindow([sunday], at('2026-12-06T02:59:59.999Z'))).toEqual({ opens: at('2026-12-06T01:00:00Z'), closes: at('2026-12-06T03:00:00Z') });
  });

  it('refuses a window with no day, an unknown zone or a malformed time (the request schema refuses them first)', () => {
    const sunday: MaintenanceWindow = { days: ['Sun'], start: '01:00', end: '03:00', timeZone: 'UTC' };
    const when = at('2026-12-06T02:00:00Z');
    expect(() => nextWindow([], when)).toThrow(new RangeError('maintenance windows must name at least one day'));
    expect(() => nextWindow([{ ...sunday, days: [] }], when)).toThrow(new RangeError('maintenance windows must name at least one day'));
    for (const bad of [{ timeZone: 'Mars/Olympus_Mons' }, { start: '25:00' }, { end: 'noon' }]) {
      const window = { ...sunday, ...bad };
      const refusal = new RangeError(`invalid maintenance window ${JSON.stringify(window)}`);
      expect(() => windowAt([window], when)).toThrow(refusal);
      expect(() => nextWindow([window], when)).toThrow(refusal);
    }
  });

  const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham', 'UTC'];
  const hhmm = fc.integer({ min: 0, max: 1439 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  const windowArb = fc.record({
    days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
    start: hhmm,
    end: hhmm,
    timeZone: fc.constantFrom(...ZONES),
  }).filter((w) => w.start !== w.end);
  // 2026-2028, so every DST change of those years in those zones is in reach.
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) }).map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));

  const wallMinutes = (w: MaintenanceWindow, d: Date): { weekday: number; minutes: number } => {
    const local = DateTime.fromJSDate(d, { zone: w.timeZone });
    return { weekday: local.weekday, minutes: local.hour * 60 + local.minute };
  };

  it('property: an instant inside an opening reads a wall time inside the window on one of its days (or the day after, across midnight)', () => {
    fc.assert(
      fc.property(windowArb, instant, (window, when) => {
        const found = windowAt([window], when);
        if (found === undefined) return;
        expect(found.opens.getTime()).toBeLessThanOrEqual(when.getTime());
        expect(when.getTime()).toBeLessThan(found.closes.getTime());
        // The opening starts on one of the window's days, at its start or right after a skipped stretch.
        const open = wallMinutes(window, found.opens);
        const start = minutesOfDay(window.start)!;
        expect(window.days).toContain(WEEKDAYS[open.weekday - 1]);
        expect(open.minutes).toBeGreaterThanOrEqual(start);
        expect(open.minutes - start).toBeLessThanOrEqual(60);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the next opening is not before the instant, and just before it the windows are closed', () => {
    fc.assert(
      fc.property(fc.array(windowArb, { minLength: 1, maxLength: 3 }), instant, (windows, when) => {
        const next = nextWindow(windows, when);
        expect(next.closes.getTime()).toBeGreaterThan(when.getTime());
        // Windows open around the clock report the end of the days looked at (documented); nothing to compare.
        if (next.closes.getTime() - when.getTime() >= 7 * 86_400_000) return;
        expect(next.closes.getTime()).toBeGreaterThan(next.opens.getTime());
        if (next.opens.getTime() > when.getTime()) {
          expect(windowAt(windows, when)).toBeUndefined();
          expect(windowAt(windows, new Date(next.opens.getTime() - 1))).toBeUndefined();
          expect(windowAt(windows, next.opens)?.opens.getTime()).toBe(next.opens.getTime());
        } else {
          expect(windowAt(windows, when)).toEqual(next);
        }
        // Just before the close the windows are open, at the close they are not (merged openings end there).
        expect(windowAt(windows, new Date(next.closes.getTime() - 1))).toBeDefined();
        expect(windowAt(windows, next.closes)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('property: the first instant reading a wall time reads it, or is the jump past it (nothing earlier reads it)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (name, when) => {
        const zone = IANAZone.create(name);
        const wall = when.getTime();
        const found = firstInstantReading(zone, wall);
        const reads = (t: number): number => t + zone.offset(t) * 60_000;
        expect(reads(found)).toBeGreaterThanOrEqual(wall);
        if (reads(found) !== wall) expect(reads(found - 1)).toBeLessThan(wall); // skipped: the jump is at `found`
        expect(reads(found - 60_000)).not.toBe(wall);
      }),
      { numRuns: 1000 },
    );
  });
});
