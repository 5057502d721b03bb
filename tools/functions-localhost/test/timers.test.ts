import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalHost, type RunningLocalHost } from '../src/host.js';
import { parseSchedule, type TimerPayload } from '../src/timer-scheduler.js';

interface TimerRun {
  readonly name: string;
  readonly at: number;
  readonly timer: TimerPayload;
  readonly concurrent?: number;
}

const globalRuns = globalThis as { __timerRuns?: TimerRun[] };
const settingsDir = mkdtempSync(join(tmpdir(), 'timer-settings-'));
let host: RunningLocalHost;
let startedAt: number;

const runsOf = (name: string) => (globalRuns.__timerRuns ?? []).filter((r) => r.name === name);

beforeAll(async () => {
  // The %SETTING% schedule comes from local.settings.json, as it would for a real app.
  delete process.env['FIXTURE_TIMER_SCHEDULE'];
  writeFileSync(join(settingsDir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: { FIXTURE_TIMER_SCHEDULE: '*/2 * * * * *' } }));
  startedAt = Date.now();
  host = await startLocalHost({
    appDir: fileURLToPath(new URL('fixtures/timer-app', import.meta.url)),
    settingsDir,
    port: 0,
    logger: () => {},
  });
  // Long enough for: startup run, 2+ per-second ticks, one even-second tick, one overrun and its catch-up.
  await vi.waitUntil(() => runsOf('overrun').length >= 2 && runsOf('everySecond').length >= 2 && runsOf('fromSetting').length >= 1, { timeout: 15_000, interval: 50 });
});

afterAll(async () => {
  await host?.stop();
  rmSync(settingsDir, { recursive: true, force: true });
});

describe('local host: timer triggers', () => {
  it('runs a per-second schedule on second boundaries with the documented payload', () => {
    const runs = runsOf('everySecond');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const first = runs[0]!;
    expect(first.timer.schedule).toEqual({ adjustForDST: true });
    expect(first.timer.isPastDue).toBe(false);
    expect(first.timer.scheduleStatus.last).toBe('0001-01-01T00:00:00.000Z');
    const next = Date.parse(first.timer.scheduleStatus.next);
    expect(next % 1000).toBe(0);
    expect(next - first.at).toBeGreaterThan(0);
    expect(next - first.at).toBeLessThanOrEqual(1000);
    // The second run reports the first one's occurrence as `last`.
    expect(Date.parse(runs[1]!.timer.scheduleStatus.last) % 1000).toBe(0);
    expect(Date.parse(runs[1]!.timer.scheduleStatus.last)).toBeLessThan(runs[1]!.at);
  });

  it('runs a runOnStartup timer once at start even though its schedule is months away', () => {
    const runs = runsOf('onStartup');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.at - startedAt).toBeLessThan(5000);
    expect(runs[0]!.timer.isPastDue).toBe(false);
    expect(new Date(runs[0]!.timer.scheduleStatus.next).getUTCMonth()).toBe(0);
    expect(new Date(runs[0]!.timer.scheduleStatus.next).getUTCDate()).toBe(1);
  });

  it('resolves %SETTING% schedules from local.settings.json', () => {
    const runs = runsOf('fromSetting');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(Date.parse(runs[0]!.timer.scheduleStatus.next) % 2000).toBe(0);
    expect(process.env['FIXTURE_TIMER_SCHEDULE']).toBe('*/2 * * * * *');
  });

  it('never overlaps runs of one timer, and marks the catch-up after an overrun as past due', () => {
    const runs = runsOf('overrun');
    expect(runs.every((r) => r.concurrent === 1)).toBe(true);
    expect(runs[0]!.timer.isPastDue).toBe(false);
    // The first run takes 2.5 s of a 1 s schedule: the next one starts right after it, late by more than 1 s.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(2400);
    expect(runs[1]!.timer.isPastDue).toBe(true);
  });
});

describe('timer schedules', () => {
  const settings = { EVERY_MINUTE: '0 * * * * *' };
  it('parses 6-field NCRONTAB with croner, in UTC', () => {
    const schedule = parseSchedule('t', '0 30 9 * * Mon-Fri', settings, 'Etc/UTC');
    // Saturday 2025-01-04 10:00 UTC -> Monday 2025-01-06 09:30 UTC.
    expect(schedule.next(new Date('2025-01-04T10:00:00Z')).toISOString()).toBe('2025-01-06T09:30:00.000Z');
  });

  it('resolves %SETTING% and accepts TimeSpan intervals', () => {
    expect(parseSchedule('t', '%EVERY_MINUTE%', settings, 'Etc/UTC').next(new Date('2025-01-01T00:00:30Z')).toISOString()).toBe('2025-01-01T00:01:00.000Z');
    expect(parseSchedule('t', '00:05:00', settings, 'Etc/UTC').next(new Date('2025-01-01T00:00:30Z')).toISOString()).toBe('2025-01-01T00:05:30.000Z');
  });

  it('refuses 5-field expressions, invalid fields and missing settings with actionable messages', () => {
    expect(() => parseSchedule('t', '*/5 * * * *', settings, 'Etc/UTC')).toThrow(/has 5 fields; NCRONTAB needs 6/);
    expect(() => parseSchedule('t', '0 99 * * * *', settings, 'Etc/UTC')).toThrow(/not a valid NCRONTAB expression/);
    expect(() => parseSchedule('t', '%MISSING%', settings, 'Etc/UTC')).toThrow(/app setting 'MISSING' is not set/);
  });
});
