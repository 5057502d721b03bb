/**
 * Maintenance windows: when, in an operator's own time zone, a scheduled migration may start apps.
 *
 * A window `{days, start, end, timeZone}` opens the first time the zone's wall clock reads `start` on one of `days`
 * (the local day the window starts) and closes the first time after that the wall clock reads `end`; an `end` not
 * after `start` is on the next local day, so a window may cross midnight, and `24:00` is the next midnight. Daylight
 * saving time follows from that one rule:
 * - spring forward: a time the clock skips counts as read when the clock jumps past it, so `01:00-05:00` on
 *   Europe/Berlin's 2027-03-28 lasts 3 hours, and a window lying wholly in the skipped hour does not open that day;
 * - fall back: the repeated hour is lived through once more, so `01:00-03:00` on America/New_York's 2026-11-01 lasts
 *   3 hours; a `start` inside the repeated hour opens at its first occurrence and never opens the window twice.
 * Windows that overlap or touch merge into one opening. Pure: the orchestration calls it with its replay-safe time.
 */
import { IANAZone } from 'luxon';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MaintenanceWindow {
  readonly days: readonly Weekday[];
  /** Local wall-clock time "HH:MM", 00:00-23:59. */
  readonly start: string;
  /** Local wall-clock time "HH:MM", 00:00-24:00; not after `start` means the next day. */
  readonly end: string;
  /** IANA time zone name, e.g. Europe/Berlin. */
  readonly timeZone: string;
}

export interface WindowOpening {
  readonly opens: Date;
  readonly closes: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Local days looked at after the instant asked about: a weekly window always opens within 8. */
const HORIZON_DAYS = 8;

/** An IANA zone name the runtime's time zone database knows (fixed offsets such as "+01:00" are not IANA names). */
export function isIanaTimeZone(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name) && IANAZone.isValidZone(name);
}

/** Minutes after local midnight of "HH:MM"; undefined when malformed. `24:00` is 1440. */
export function minutesOfDay(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

/** The zone's wall clock at `ms`, as if it were UTC: comparable with Date.UTC of a local date and time. */
function wallMs(zone: Pick<IANAZone, 'offset'>, ms: number): number {
  return ms + zone.offset(ms) * MINUTE_MS;
}

/**
 * The first instant at which the zone's wall clock reads `wall` (a local date and time written as UTC ms): the
 * earlier one when the time occurs twice; the moment the clock jumps past it when the time is skipped.
 */
export function firstInstantReading(zone: Pick<IANAZone, 'offset'>, wall: number): number {
  // Any instant reading `wall` is wall minus an offset in force near it; the offsets a day before and after its
  // local day see both sides of a change (taken at whole days, so neighbouring questions share the lookups).
  const day = Math.floor(wall / DAY_MS) * DAY_MS;
  const offsets = new Set([zone.offset(day - DAY_MS), zone.offset(day + 2 * DAY_MS)]);
  const candidates = [...offsets].map((offset) => wall - offset * MINUTE_MS);
  const exact = candidates.filter((t) => wallMs(zone, t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped: the wall clock jumps over it between these instants; find the jump (the offsets differ there only).
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallMs(zone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

interface Span {
  readonly opens: number;
  readonly closes: number;
}

/** A zone's offsets (minutes), remembered for the instants one question asks about: Intl lookups dominate the cost. */
class ZoneOffsets {
  readonly #known = new Map<number, number>();
  constructor(readonly zone: IANAZone) {}
  offset(ms: number): number {
    let found = this.#known.get(ms);
    if (found === undefined) {
      found = this.zone.offset(ms);
      this.#known.set(ms, found);
    }
    return found;
  }
}

/** Openings of one window whose local start day is within [at's local day - 1, + HORIZON_DAYS]. */
function spansOf(window: MaintenanceWindow, atMs: number): Span[] {
  const zone = new ZoneOffsets(IANAZone.create(window.timeZone));
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  if (!zone.zone.isValid || start === undefined || end === undefined) throw new RangeError(`invalid maintenance window ${JSON.stringify(window)}`);
  // Local days as UTC midnights of the wall clock: plain arithmetic, no calendar library needed per day.
  const today = Math.floor(wallMs(zone, atMs) / DAY_MS) * DAY_MS;
  const spans: Span[] = [];
  for (let offset = -1; offset <= HORIZON_DAYS; offset++) {
    const midnight = today + offset * DAY_MS;
    // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
    if (!window.days.includes(WEEKDAYS[(new Date(midnight).getUTCDay() + 6) % 7]!)) continue;
    const opens = firstInstantReading(zone, midnight + start * MINUTE_MS);
    const closes = firstInstantReading(zone, midnight + (end > start ? end : end + 1440) * MINUTE_MS);
    if (closes > opens) spans.push({ opens, closes });
  }
  return spans;
}

/** Every opening near `at`, overlapping or touching ones merged, in time order. */
function mergedSpans(windows: readonly MaintenanceWindow[], atMs: number): Span[] {
  const spans = windows.flatMap((w) => spansOf(w, atMs)).sort((a, b) => a.opens - b.opens);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last !== undefined && span.opens <= last.closes) merged[merged.length - 1] = { opens: last.opens, closes: Math.max(last.closes, span.closes) };
    else merged.push(span);
  }
  return merged;
}

/** The opening `at` lies in (opens <= at < closes), or undefined when every window is closed then. */
export function windowAt(windows: readonly MaintenanceWindow[], at: Date): WindowOpening | undefined {
  const atMs = at.getTime();
  const span = mergedSpans(windows, atMs).find((s) => s.opens <= atMs && atMs < s.closes);
  return span === undefined ? undefined : { opens: new Date(span.opens), closes: new Date(span.closes) };
}

/**
 * The opening `at` lies in, else the next one. A set of windows open around the clock reports its close at the end
 * of the days looked at (at least a week ahead); asked again then, it answers the next stretch.
 */
export function nextWindow(windows: readonly MaintenanceWindow[], at: Date): WindowOpening {
  const atMs = at.getTime();
  const span = mergedSpans(windows, atMs).find((s) => atMs < s.closes);
  if (span === undefined) throw new RangeError('maintenance windows must name at least one day');
  return { opens: new Date(span.opens), closes: new Date(span.closes) };
}
