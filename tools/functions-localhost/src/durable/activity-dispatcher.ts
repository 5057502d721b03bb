import type { DurableEngineOptions, FunctionHandler } from './contract.js';
import { MAX_VALUE_LENGTH } from './chunked-text.js';
import type { EngineClock } from './engine-clock.js';
import { EventType, failureDetailsOf, toJsonText, type HistoryEvent } from './history.js';
import { TERMINAL, type LoadedInstance } from './loaded-instance.js';
import { newInvocationContext } from './orchestrator-invoker.js';
import { newMessageId, type InboxMessage } from './table-store.js';

/**
 * Runs scheduled activities, at most `maxConcurrent` at once across all instances, and sends each result to its
 * instance as a TaskCompleted/TaskFailed message.
 */

export interface ActivityWork {
  readonly instanceId: string;
  readonly executionId: string;
  readonly id: number;
  readonly name: string;
  readonly input: unknown;
}

export interface ActivityDispatcherDependencies {
  readonly activities: ReadonlyMap<string, FunctionHandler>;
  readonly maxConcurrent: number;
  readonly clock: EngineClock;
  readonly log: NonNullable<DurableEngineOptions['log']>;
  isStopping(): boolean;
  instanceOf(instanceId: string): LoadedInstance | undefined;
  /** Makes the result durable, then hands it to the instance. */
  send(instanceId: string, message: InboxMessage): Promise<void>;
  /** An activity finished: its instance may be ready to replay. */
  markReady(instance: LoadedInstance): void;
  scheduleIdleCheck(): void;
}

export class ActivityDispatcher {
  readonly #deps: ActivityDispatcherDependencies;
  readonly #queue: ActivityWork[] = [];
  #running = 0;
  #invocations = 0;

  constructor(deps: ActivityDispatcherDependencies) {
    this.#deps = deps;
  }

  get queued(): number {
    return this.#queue.length;
  }
  get running(): number {
    return this.#running;
  }
  /** Activity handler invocations since start (including ones whose result was dropped). */
  get invocationCount(): number {
    return this.#invocations;
  }

  enqueue(instance: LoadedInstance, work: ActivityWork): void {
    instance.activitiesInFlight += 1;
    this.#queue.push(work);
    this.#pump();
  }

  /** Drops queued work (stop); running activities finish on their own. */
  clearQueue(): void {
    this.#queue.length = 0;
  }

  #pump(): void {
    while (this.#running < this.#deps.maxConcurrent && this.#queue.length > 0 && !this.#deps.isStopping()) {
      const work = this.#queue.shift()!;
      this.#running += 1;
      void this.#run(work).finally(() => {
        this.#running -= 1;
        const instance = this.#deps.instanceOf(work.instanceId);
        if (instance) {
          instance.activitiesInFlight = Math.max(0, instance.activitiesInFlight - 1);
          this.#deps.markReady(instance);
        }
        this.#pump();
        this.#deps.scheduleIdleCheck();
      });
    }
  }

  async #run(work: ActivityWork): Promise<void> {
    const instance = this.#deps.instanceOf(work.instanceId);
    if (!instance || TERMINAL.has(instance.head.status) || instance.head.executionId !== work.executionId) return;
    let event: HistoryEvent;
    const base = { EventId: -1, IsPlayed: false, TaskScheduledId: work.id, Name: work.name };
    try {
      const handler = this.#deps.activities.get(work.name);
      if (!handler) throw new Error(`The app registers no activity named '${work.name}'.`);
      this.#invocations += 1;
      const result = await handler(work.input, newInvocationContext(work.name, 'activityTrigger', this.#deps.log));
      const text = toJsonText(result);
      if (text.length > MAX_VALUE_LENGTH) throw new Error(`Activity '${work.name}' returned ${text.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`);
      event = { ...base, EventType: EventType.TaskCompleted, Timestamp: this.#deps.clock.now().toISOString(), Result: text };
    } catch (error) {
      const details = failureDetailsOf(error);
      event = {
        ...base,
        EventType: EventType.TaskFailed,
        Timestamp: this.#deps.clock.now().toISOString(),
        // Capped so that a pathological error cannot exceed what one history row may hold.
        Reason: details.ErrorMessage.slice(0, 20_000),
        Details: (details.StackTrace ?? '').slice(0, 8000),
        FailureDetails: { ...details, ErrorMessage: details.ErrorMessage.slice(0, 20_000), StackTrace: details.StackTrace?.slice(0, 8000) },
      };
    }
    try {
      await this.#deps.send(work.instanceId, { id: newMessageId('task', `${work.executionId}.${work.id}`), kind: 'event', executionId: work.executionId, event });
    } catch (error) {
      // send retries storage failures until the engine stops; then the task stays open in the history and runs
      // again after the restart (at least once).
      this.#deps.log('error', `Could not record the result of activity '${work.name}' for '${work.instanceId}': ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
