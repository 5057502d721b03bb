import type { Exception } from '@azure/functions';
import { Cron } from 'croner';
import type { HostedFunction } from './app-loader.js';
import type { VirtualTimeSource } from './durable/engine-clock.js';
import type { VirtualTimeline } from './durable/engine.js';
import type { FunctionsLibrary } from './functions-library.js';
import { LocalHostError } from './errors.js';
import { createInvocationContext } from './invocation-context.js';
import type { HostLogger } from './logger.js';
import { parseRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { MemoryTimerStatusStore, type TimerStatusStore } from './timer-status-store.js';

/**
 * Runs the app's timer triggers as the Functions host does: 6-field NCRONTAB schedules
 * (second minute hour day month day-of-week, evaluated by croner), `%SETTING%` indirection, TimeSpan schedules
 * ("hh:mm:ss" intervals), runOnStartup, and never two runs of one timer at once. A run that starts later than its
 * occurrence by more than the past-due threshold (typically because the previous run overran) gets
 * isPastDue=true; missed occurrences collapse into one catch-up run, then the schedule resumes from now.
 * Monitored timers (useMonitor, by default those at least a minute apart) keep their schedule status in a store,
 * so after a restart an occurrence missed while the host was down runs at once, past due, and `last` is the run
 * before the restart. A retry policy on the registration re-runs a failed execution with context.retryContext.
 * On the durable engine's virtual clock (attachTo), schedules run on virtual time: when nothing else is running, the
 * engine skips to the next occurrence that comes before its next durable timer, so tests can live through days of
 * a timer's schedule (a DST change, a maintenance window) in seconds. Timers alone never move a virtual clock.
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
  /** The clock schedules run on; the wall clock by default (attachTo sets the engine's). */
  clock?: { nowMs(): number };
  /** Called after each run and its rescheduling (attachTo: the engine looks whether it may skip time). */
  onRunSettled?: () => void;
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

/** Why a run happens: its schedule, a catch-up after an overrun, a missed occurrence found at start, runOnStartup. */
type RunReason = 'schedule' | 'catchUp' | 'pastDueAtStart' | 'runOnStartup';

class ScheduledTimer {
  #handle: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Cuts a retry's wait short when the host stops. */
  #wakeRetry: (() => void) | undefined;
  /** ISO instant of the previous run's occurrence (NEVER before the first), as `scheduleStatus.last` reports it. */
  #last = NEVER;
  #stopped = false;
  invocations = 0;
  /** The occurrence armed for, while one is. */
  nextDueMs: number | undefined;

  constructor(
    readonly fn: HostedFunction,
    readonly schedule: Schedule,
    readonly runOnStartup: boolean,
    /** Whether the schedule status is kept in the status store (the trigger's useMonitor). */
    readonly monitored: boolean,
    readonly retry: RetryPolicy | undefined,
    readonly options: TimerSchedulerOptions,
  ) {}

  #store: TimerStatusStore = new MemoryTimerStatusStore();

  #now(): number {
    return this.options.clock?.nowMs() ?? Date.now();
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** The (virtual) clock has reached the armed occurrence: run it now rather than when the wall clock does. */
  fireIfDue(): void {
    const due = this.nextDueMs;
    if (due === undefined || this.#running !== undefined || due > this.#now()) return;
    clearTimeout(this.#handle);
    this.#fire(new Date(due), 'schedule');
  }

  /**
   * Reads the stored status, as the host's schedule monitor does: when the next occurrence it recorded has passed
   * while no host ran, the first run happens now and is past due; else runOnStartup, else the schedule.
   */
  async start(store: TimerStatusStore): Promise<void> {
    this.#store = store;
    const now = new Date(this.#now());
    let missed: Date | undefined;
    if (this.monitored) {
      const stored = await this.#store.get(this.fn.name);
      if (stored) {
        this.#last = stored.last;
        // The schedule may have changed since the status was written: expect its next occurrence after that write.
        const expected = this.schedule.next(new Date(stored.lastUpdated === NEVER ? stored.last : stored.lastUpdated));
        const recordedNext = expected.getTime() === Date.parse(stored.next) ? new Date(stored.next) : expected;
        if (now.getTime() > recordedNext.getTime()) missed = recordedNext;
      } else {
        await this.#store.set(this.fn.name, { last: NEVER, next: this.schedule.next(now).toISOString(), lastUpdated: now.toISOString() });
      }
    }
    if (missed) this.#fire(missed, 'pastDueAtStart');
    else if (this.runOnStartup) this.#fire(now, 'runOnStartup');
    else this.#armAfter(now);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#handle);
    this.#wakeRetry?.();
    await this.#running;
  }

  #armAfter(after: Date): void {
    if (this.#stopped) return;
    const next = this.schedule.next(after);
    this.nextDueMs = next.getTime();
    // setTimeout caps at ~24.8 days; re-arm in steps for schedules further out.
    const delay = Math.min(next.getTime() - this.#now(), 2 ** 31 - 1);
    this.#handle = setTimeout(() => {
      if (this.#now() < next.getTime()) this.#armAfter(after);
      else this.#fire(next, 'schedule');
    }, Math.max(0, delay));
  }

  #fire(occurrence: Date, reason: RunReason): void {
    if (this.#stopped) return;
    this.nextDueMs = undefined;
    const started = new Date(this.#now());
    const threshold = this.options.pastDueThresholdMs ?? 1000;
    const payload: TimerPayload = {
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: this.#last,
        next: this.schedule.next(reason === 'schedule' ? occurrence : started).toISOString(),
        lastUpdated: started.toISOString(),
      },
      isPastDue: reason === 'pastDueAtStart' || started.getTime() - occurrence.getTime() > threshold,
    };
    // Runs that stand in for the schedule (catch-up, past due, on startup) resume it from now; a scheduled run
    // from its own occurrence, so a short run never skips the next one.
    const resumeFrom = reason === 'schedule' ? occurrence : started;
    this.#running = this.#invoke(payload)
      .then(() => this.#recordRun(resumeFrom))
      .then(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        const following = this.schedule.next(resumeFrom);
        if (following.getTime() <= this.#now()) this.#fire(following, 'catchUp');
        else this.#armAfter(resumeFrom);
        this.options.onRunSettled?.();
      });
  }

  /** `last` becomes this run; the status store learns the next expected occurrence (for the next start). */
  async #recordRun(ranAt: Date): Promise<void> {
    this.#last = ranAt.toISOString();
    if (!this.monitored) return;
    const status = { last: this.#last, next: this.schedule.next(ranAt).toISOString(), lastUpdated: this.#last };
    try {
      await this.#store.set(this.fn.name, status);
    } catch (error) {
      // Losing one status write costs at most a missed past-due detection after a restart; the schedule goes on.
      this.options.logger('warn', `Function.${this.fn.name}`, `Could not store the timer schedule status: ${(error as Error).message}`);
    }
  }

  /** One execution: the handler, then, when it fails and a retry policy allows, again after the policy's delay. */
  async #invoke(payload: TimerPayload): Promise<void> {
    const { fn, options, retry } = this;
    const inputs: Record<string, unknown> = {};
    if (fn.durableClientInputs.length > 0) {
      const value = options.durableClientValue?.();
      if (!value) {
        options.logger('error', `Function.${fn.name}`, 'Not run: it has a durableClient input but the host runs without the durable engine.');
        return;
      }
      for (const name of fn.durableClientInputs) inputs[name] = value;
    }
    let lastError: unknown;
    for (let retryCount = 0; ; retryCount++) {
      const retryContext = retryCount > 0 && retry ? { retryCount, maxRetryCount: retry.maxRetryCount, exception: toException(lastError) } : undefined;
      const context = createInvocationContext(options.library, fn, options.logger, inputs, retryContext);
      const started = performance.now();
      this.invocations++;
      try {
        await fn.handler(payload, context);
        options.logger('debug', `Function.${fn.name}`, `Executed (Succeeded, Id=${context.invocationId}, Duration=${Math.round(performance.now() - started)}ms, isPastDue=${payload.isPastDue})`);
        return;
      } catch (error) {
        lastError = error;
        // A failing run does not stop the schedule, as in the real host.
        options.logger('error', `Function.${fn.name}`, `Executed (Failed, Id=${context.invocationId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      if (!retry || (retry.maxRetryCount !== -1 && retryCount >= retry.maxRetryCount) || this.#stopped) return;
      const delay = retry.delayBeforeRetry(retryCount + 1);
      options.logger('info', `Function.${fn.name}`, `Retry ${retryCount + 1}${retry.maxRetryCount === -1 ? '' : ` of ${retry.maxRetryCount}`} in ${delay} ms (${retry.strategy}).`);
      await this.#waitForRetry(delay);
      if (this.#stopped) return;
    }
  }

  async #waitForRetry(delayMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const handle = setTimeout(resolve, delayMs);
      this.#wakeRetry = () => {
        clearTimeout(handle);
        resolve();
      };
    });
    this.#wakeRetry = undefined;
  }
}

function toException(error: unknown): Exception {
  return error instanceof Error ? { message: error.message, source: error.name, ...(error.stack ? { stackTrace: error.stack } : {}) } : { message: String(error) };
}

/**
 * The trigger's useMonitor, or the host's default: monitored when occurrences are at least a minute apart
 * (judged from the next two occurrences).
 */
function usesMonitor(fn: HostedFunction, schedule: Schedule): boolean {
  const explicit = fn.trigger['useMonitor'];
  if (typeof explicit === 'boolean') return explicit;
  const first = schedule.next(new Date());
  return schedule.next(first).getTime() - first.getTime() >= 60_000;
}

export class TimerScheduler {
  readonly #timers: ScheduledTimer[];
  readonly #options: TimerSchedulerOptions;

  /** Validates every schedule up front, so a bad one stops the host from starting rather than failing later. */
  constructor(options: TimerSchedulerOptions) {
    this.#options = options;
    const settings = options.settings ?? process.env;
    const timeZone = options.timeZone ?? settings['WEBSITE_TIME_ZONE'] ?? 'Etc/UTC';
    this.#timers = options.functions
      .filter((fn) => fn.kind === 'timer')
      .map((fn) => {
        const raw = fn.trigger['schedule'];
        if (typeof raw !== 'string' || !raw.trim()) throw new LocalHostError('InvalidRegistration', `Timer '${fn.name}' has no schedule.`);
        const schedule = parseSchedule(fn.name, raw, settings, timeZone);
        const retry = parseRetryPolicy(fn.name, fn.metadata.retryOptions);
        return new ScheduledTimer(fn, schedule, fn.trigger['runOnStartup'] === true, usesMonitor(fn, schedule), retry, options);
      });
  }

  /**
   * Runs the schedules on the durable engine's clock. On a virtual clock the timers become one of its time sources,
   * so the engine's time skips stop at each occurrence (see the class comment). Call before start().
   */
  attachTo(timeline: VirtualTimeline): void {
    this.#options.clock = timeline.clock;
    if (timeline.clock.mode !== 'virtual') return;
    const timers = this.#timers;
    const source: VirtualTimeSource = {
      nextDueMs: () => {
        const dues = timers.map((t) => t.nextDueMs).filter((due): due is number => due !== undefined);
        return dues.length === 0 ? undefined : Math.min(...dues);
      },
      fireDue: () => {
        for (const timer of timers) timer.fireIfDue();
      },
      busy: () => timers.some((t) => t.busy),
    };
    this.#options.onRunSettled = timeline.addTimeSource(source);
  }

  get names(): string[] {
    return this.#timers.map((t) => t.fn.name);
  }

  /** True when some timer keeps its schedule status (useMonitor): worth a storage connection. */
  get monitorsAny(): boolean {
    return this.#timers.some((t) => t.monitored);
  }

  /**
   * Reads each monitored timer's stored status, then starts every schedule. `store`: Table Storage when the host
   * has a storage connection (opened by the caller); memory otherwise, so status lasts as long as this scheduler.
   */
  async start(store: TimerStatusStore = new MemoryTimerStatusStore()): Promise<void> {
    await Promise.all(this.#timers.map((t) => t.start(store)));
  }

  /** Stops scheduling and waits for runs in progress to finish. */
  async stop(): Promise<void> {
    await Promise.all(this.#timers.map((t) => t.stop()));
  }
}
