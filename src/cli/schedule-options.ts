/**
 * `start`'s schedule and webhook flags: `--window "Sat,Sun 01:00-05:00 Europe/Berlin"` (repeatable),
 * `--batch-size N`, `--webhook <url>` (repeatable). Parsed into the request's `schedule` and `webhookUrls`; the
 * service's schema then checks them (time zone, times, days) before anything is sent.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { MaintenanceWindow, Weekday } from '../domain/maintenance-window.js';
import { WEEKDAYS } from '../domain/maintenance-window.js';

export interface ScheduleFlags {
  readonly window?: MaintenanceWindow[];
  readonly batchSize?: number;
  readonly webhook?: string[];
}

const WINDOW = /^\s*([A-Za-z]{3}(?:\s*,\s*[A-Za-z]{3})*)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s+(\S+)\s*$/;

/** "Sat,Sun 01:00-05:00 Europe/Berlin" → a window; day names in any case. */
export function parseWindow(text: string): MaintenanceWindow {
  const match = WINDOW.exec(text);
  if (!match) throw new InvalidArgumentError(`'${text}' is not a window; expected e.g. "Sat,Sun 01:00-05:00 Europe/Berlin" (days, start-end, IANA time zone).`);
  const days = match[1]!.split(',').map((d) => d.trim()).map((d) => WEEKDAYS.find((w) => w.toLowerCase() === d.toLowerCase()));
  if (days.some((d) => d === undefined)) throw new InvalidArgumentError(`'${match[1]}': days are ${WEEKDAYS.join(', ')}.`);
  return { days: days as Weekday[], start: match[2]!, end: match[3]!, timeZone: match[4]! };
}

export function addScheduleOptions(command: Command): Command {
  return command
    .option('--window <spec>', 'a maintenance window, e.g. "Sat,Sun 01:00-05:00 Europe/Berlin"; repeatable; needs --batch-size', (v: string, p: MaintenanceWindow[] | undefined) => [...(p ?? []), parseWindow(v)])
    .option('--batch-size <n>', 'apps started per batch inside the windows (the batch timer starts one batch per run)', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`'${value}' is not a whole number of at least 1.`);
      return n;
    })
    .option('--webhook <url>', 'POST JSON events of this migration here (batches, rollbacks, failures, breaker, end); repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v]);
}
