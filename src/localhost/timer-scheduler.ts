import { Cron } from 'croner';
import type { HostedFunction } from './app-loader.js';
import type { FunctionsLibrary } from './functions-library.js';
import { LocalHostError } from './errors.js';
import { createInvocationContext } from './invocation-context.js';
import type { HostLogger } from './logger.js';

/**
 * Runs the app's timer triggers as the Functions host does: 6-field NCRONTAB schedules
 * (second minute hour day month day-of-week, evaluated by croner), `%SETTING%` indirection, TimeSpan schedules
 * ("hh:mm:ss" intervals), runOnStartup, and never two runs of one timer at once. A run that starts later than its
 * occurrence by more than the past-due threshold (typically because the previous run overran) gets
 * isPastDue=true; missed occurrences collapse into one catch-up run, then the schedule resumes from now.
 */

/** The payload a timer function receives (@azure/functions' Timer type). */
export interface TimerPayload {
  readonly schedule: { readonly adjustForDST: boolean };
  readonly scheduleStatus: { readonly last: string; readonly next: string; readonly lastUpdated: string };
  readonly isPastDue: boolean;
}

export interface TimerSchedulerOptions {
  readonly functions: readonly HostedFunction[];
  /** The app's own @azure/functions. */
  readonly library: FunctionsLibrary;
  readonly logger: HostLogger;
  /** Settings for %NAME% schedules; process.env by default. */
  readonly settings?: Readonly<Record<string, string | undefined>>;
  /** How late a run may start and still not be past due. Default 1000 ms. */
  readonly pastDueThresholdMs?: number;
  /** IANA time zone for schedules; WEBSITE_TIME_ZONE or UTC, as the host defaults to UTC. */
  readonly timeZone?: string;
  /** The value of durableClient inputs (df.app.client.timer), when the durable engine runs. */
  readonly durableClientValue?: () => Record<string, unknown> | undefined;
}

/** .NET's DateTime.MinValue: what the host reports as `last` before a timer has ever run. */
const NEVER = '0001-01-01T00:00:00.000Z';

interface Schedule {
  readonly text: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

export function parseSchedule(functionName: string, raw: string, settings: Readonly<Record<string, string | undefined>>, timeZone: string): Schedule {
  let text = raw.trim();
  const indirection = /^%([^%]+)%$/.exec(text);
  if (indirection) {
    const value = settings[indirection[1]!];
    if (!value) {
      throw new LocalHostError('InvalidRegistration', `Timer '${functionName}' uses schedule '${raw}', but the app setting '${indirection[1]}' is not set; add it to local.settings.json Values.`);
    }
    text = value.trim();
  }
  const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (timeSpan) {
    const [, days = '0', h, m, s] = timeSpan;
    const intervalMs = (((Number(days) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
    if (intervalMs <= 0) throw new LocalHostError('InvalidRegistration', `Timer '${functionName}': TimeSpan schedule '${text}' must be positive.`);
    return { text, next: (after) => new Date(after.getTime() + intervalMs) };
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new LocalHostError(
      'InvalidRegistration',
      `Timer '${functionName}': schedule '${text}' has ${fields.length} fields; NCRONTAB needs 6 (second minute hour day month day-of-week), e.g. '0 */5 * * * *'.`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { paused: true, timezone: timeZone, legacyMode: true });
  } catch (error) {
    throw new LocalHostError('InvalidRegistration', `Timer '${functionName}': schedule '${text}' is not a valid NCRONTAB expression (${(error as Error).message}).`);
  }
  return {
    text,
    next(after) {
      const next = cron.nextRun(after);
      if (!next) throw new LocalHostError('InvalidRegistration', `Timer '${functionName}': schedule '${text}' never fires again.`);
      return next;
    },
  };
}

class ScheduledTimer {
  #handle: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastRun: Date | undefined;
  #stopped = false;
  invocations = 0;

  constructor(
    readonly fn: HostedFunction,
    readonly schedule: Schedule,
    readonly runOnStartup: boolean,
    readonly options: TimerSchedulerOptions,
  ) {}

  start(): void {
    const now = new Date();
    if (this.runOnStartup) this.#fire(now, false);
    else this.#armAfter(now);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#handle);
    await this.#running;
  }

  #armAfter(after: Date): void {
    if (this.#stopped) return;
    const next = this.schedule.next(after);
    // setTimeout caps at ~24.8 days; re-arm in steps for schedules further out.
    const delay = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    this.#handle = setTimeout(() => {
      if (Date.now() < next.getTime()) this.#armAfter(after);
      else this.#fire(next, false);
    }, Math.max(0, delay));
  }

  /** `catchUp`: this run stands in for occurrences missed while the previous one ran; resume from now after it. */
  #fire(occurrence: Date, catchUp: boolean): void {
    if (this.#stopped) return;
    const started = new Date();
    const threshold = this.options.pastDueThresholdMs ?? 1000;
    const payload: TimerPayload = {
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: this.#lastRun?.toISOString() ?? NEVER,
        next: this.schedule.next(occurrence).toISOString(),
        lastUpdated: started.toISOString(),
      },
      isPastDue: started.getTime() - occurrence.getTime() > threshold,
    };
    this.#running = this.#invoke(payload).then(() => {
      this.#running = undefined;
      this.#lastRun = occurrence;
      if (this.#stopped) return;
      const following = this.schedule.next(catchUp ? new Date(started) : occurrence);
      if (following.getTime() <= Date.now()) this.#fire(following, true);
      else this.#armAfter(catchUp ? new Date(started) : occurrence);
    });
  }

  async #invoke(payload: TimerPayload): Promise<void> {
    const { fn, options } = this;
    const inputs: Record<string, unknown> = {};
    if (fn.durableClientInputs.length > 0) {
      const value = options.durableClientValue?.();
      if (!value) {
        options.logger('error', `Function.${fn.name}`, 'Not run: it has a durableClient input but the host runs without the durable engine.');
        return;
      }
      for (const name of fn.durableClientInputs) inputs[name] = value;
    }
    const context = createInvocationContext(options.library, fn, options.logger, inputs);
    const started = performance.now();
    this.invocations++;
    try {
      await fn.handler(payload, context);
      options.logger('debug', `Function.${fn.name}`, `Executed (Succeeded, Id=${context.invocationId}, Duration=${Math.round(performance.now() - started)}ms, isPastDue=${payload.isPastDue})`);
    } catch (error) {
      // A failing run does not stop the schedule, as in the real host.
      options.logger('error', `Function.${fn.name}`, `Executed (Failed, Id=${context.invocationId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

export class TimerScheduler {
  readonly #timers: ScheduledTimer[];

  /** Validates every schedule up front, so a bad one stops the host from starting rather than failing later. */
  constructor(options: TimerSchedulerOptions) {
    const settings = options.settings ?? process.env;
    const timeZone = options.timeZone ?? settings['WEBSITE_TIME_ZONE'] ?? 'Etc/UTC';
    this.#timers = options.functions
      .filter((fn) => fn.kind === 'timer')
      .map((fn) => {
        const raw = fn.trigger['schedule'];
        if (typeof raw !== 'string' || !raw.trim()) throw new LocalHostError('InvalidRegistration', `Timer '${fn.name}' has no schedule.`);
        return new ScheduledTimer(fn, parseSchedule(fn.name, raw, settings, timeZone), fn.trigger['runOnStartup'] === true, options);
      });
  }

  get names(): string[] {
    return this.#timers.map((t) => t.fn.name);
  }

  start(): void {
    for (const timer of this.#timers) timer.start();
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    await Promise.all(this.#timers.map((t) => t.stop()));
  }
}
