import { randomUUID } from 'node:crypto';
import {
  DurableHostError,
  instanceAlreadyRunning,
  instanceNotFound,
  instanceNotRunning,
  unknownOrchestrator,
  type DurableEngine,
  type DurableEngineOptions,
  type FunctionHandler,
  type InstanceFilter,
  type InstancePage,
  type InstanceQuery,
  type InstanceStatus,
  type RuntimeStatus,
  type StartOptions,
  type StatusOptions,
} from './contract.js';
import { readActions } from './actions.js';
import { ActivityDispatcher } from './activity-dispatcher.js';
import { delay, forEachLimited, withTimeout } from './async-control.js';
import { checkedJson } from './checked-json.js';
import { MAX_VALUE_LENGTH, ValueTooLargeError } from './chunked-text.js';
import { DurableTimers } from './durable-timers.js';
import { EngineClock } from './engine-clock.js';
import {
  EventType,
  completedTaskId,
  parseJsonText,
  toJsonText,
  type FailureDetails,
  type HistoryEvent,
} from './history.js';
import { indexFilter, statusOf } from './instance-views.js';
import { TERMINAL, indexRowOf, loadedInstance, type LoadedInstance } from './loaded-instance.js';
import { invokeOrchestrator } from './orchestrator-invoker.js';
import { SubOrchestrations } from './sub-orchestrations.js';
import { DurableStore, newMessageId, type InboxMessage, type InstanceHead } from './table-store.js';
import { NonDeterminismError, TaskLedger, type LeafRecord, type ScheduledWork } from './task-ledger.js';

export { historyEntries } from './instance-views.js';

/**
 * The durable engine of the local host: replays orchestrators registered through durable-functions, runs their
 * activities, timers and sub-orchestrations, and keeps everything in Table Storage so a killed process resumes.
 * Design and crash-safety argument: docs/durable-engine.md.
 */

const MAX_CONCURRENT_EPISODES = 16;
/** An instance with activities still in flight waits this long for more completions before it replays. */
const COMPLETION_COALESCING_MS = 25;

/** What tests and benchmarks may observe beyond the contract. */
export interface DurableEngineDiagnostics {
  /** Orchestrator episodes (replays) committed since start. */
  readonly episodeCount: number;
  /** Activity handler invocations since start (including ones whose result was dropped). */
  readonly activityInvocationCount: number;
  /** History events committed since start. */
  readonly historyEventCount: number;
  episodesOf(instanceId: string): number;
  /** The raw history of the current execution (EventType numbers, every event). */
  rawHistory(instanceId: string): Promise<readonly HistoryEvent[]>;
}

export type LocalDurableEngine = DurableEngine & DurableEngineDiagnostics;

export function createDurableEngine(options: DurableEngineOptions): LocalDurableEngine {
  return new TableDurableEngine(options);
}

class TableDurableEngine implements LocalDurableEngine {
  readonly taskHubName: string;
  readonly #store: DurableStore;
  readonly #clock: EngineClock;
  readonly #log: NonNullable<DurableEngineOptions['log']>;
  readonly #orchestrators = new Map<string, FunctionHandler>();
  readonly #activities = new Map<string, FunctionHandler>();
  readonly #instances = new Map<string, LoadedInstance>();
  readonly #ready = new Set<LoadedInstance>();
  readonly #timers: DurableTimers;
  readonly #activityDispatcher: ActivityDispatcher;
  readonly #subOrchestrations: SubOrchestrations;
  readonly #background = new Set<Promise<unknown>>();
  readonly #idleWaiters: (() => void)[] = [];
  #runningEpisodes = 0;
  #started = false;
  #stopping = false;
  #idleCheckScheduled = false;
  #episodeCount = 0;
  #historyEvents = 0;

  constructor(options: DurableEngineOptions) {
    this.taskHubName = options.taskHubName;
    this.#store = new DurableStore(options.connectionString, options.taskHubName);
    this.#clock = new EngineClock(options.clock ?? 'real');
    this.#log = options.log ?? (() => {});
    this.#timers = new DurableTimers({
      clock: this.#clock,
      isStopping: () => this.#stopping,
      deliver: (instanceId, message) => this.#track(this.#send(instanceId, message)),
    });
    this.#activityDispatcher = new ActivityDispatcher({
      activities: this.#activities,
      maxConcurrent: Math.max(1, options.maxConcurrentActivities ?? 10),
      clock: this.#clock,
      log: this.#log,
      isStopping: () => this.#stopping,
      instanceOf: (instanceId) => this.#instances.get(instanceId),
      send: (instanceId, message) => this.#send(instanceId, message),
      markReady: (instance) => this.#markReady(instance),
      scheduleIdleCheck: () => this.#scheduleIdleCheck(),
    });
    this.#subOrchestrations = new SubOrchestrations({
      store: this.#store,
      clock: this.#clock,
      hasOrchestrator: (name) => this.#orchestrators.has(name),
      loadedHead: (instanceId) => this.#instances.get(instanceId)?.head,
      send: (instanceId, message) => this.#send(instanceId, message),
      createInstance: (head) => this.#createInstance(head),
    });
  }

  get episodeCount(): number {
    return this.#episodeCount;
  }
  get activityInvocationCount(): number {
    return this.#activityDispatcher.invocationCount;
  }
  get historyEventCount(): number {
    return this.#historyEvents;
  }
  episodesOf(instanceId: string): number {
    return this.#instances.get(instanceId)?.episodes ?? this.#finishedEpisodes.get(instanceId) ?? 0;
  }
  readonly #finishedEpisodes = new Map<string, number>();

  registerOrchestrator(name: string, handler: FunctionHandler): void {
    this.#orchestrators.set(name, handler);
  }
  registerActivity(name: string, handler: FunctionHandler): void {
    this.#activities.set(name, handler);
  }
  hasOrchestrator(name: string): boolean {
    return this.#orchestrators.has(name);
  }

  // ---------------------------------------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.#started) return;
    this.#stopping = false;
    await this.#store.createTables();
    const unfinished: string[] = [];
    const filter = `PartitionKey eq 'i' and ${[...TERMINAL].map((status) => `status ne '${status}'`).join(' and ')}`;
    for await (const row of this.#store.allIndexRows(filter)) unfinished.push(row.instanceId);
    await forEachLimited(unfinished, 8, async (instanceId) => {
      const partition = await this.#store.loadPartition(instanceId);
      if (!partition.head) {
        // startNew wrote the index row but crashed before the head: the instance never existed.
        await this.#store.deleteIndex(instanceId);
        return;
      }
      if (partition.staleRowKeys.length > 0) this.#track(this.#store.deleteRows(instanceId, partition.staleRowKeys));
      if (TERMINAL.has(partition.head.status)) {
        this.#track(this.#store.writeIndex(indexRowOf(partition.head)));
        return;
      }
      this.#instances.set(instanceId, loadedInstance(partition.head, partition.history, partition.messages));
    });
    this.#started = true;
    for (const instance of this.#instances.values()) this.#resumeOpenWork(instance);
    for (const instance of this.#instances.values()) this.#markReady(instance);
    this.#log('info', `Durable engine '${this.taskHubName}' started; recovered ${this.#instances.size} unfinished instance(s).`);
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#timers.cancelAll();
    this.#activityDispatcher.clearQueue();
    for (const instance of this.#instances.values()) clearTimeout(instance.deferTimer);
    while (this.#runningEpisodes > 0 || this.#activityDispatcher.running > 0 || this.#background.size > 0 || this.#store.writesInFlight > 0) {
      await delay(10);
    }
    this.#ready.clear();
    this.#instances.clear();
    this.#started = false;
  }

  // ---------------------------------------------------------------------------------------------- client API

  async startNew(orchestratorName: string, options: StartOptions = {}): Promise<string> {
    if (!this.#orchestrators.has(orchestratorName)) throw unknownOrchestrator(orchestratorName);
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    if (!instanceId || instanceId.length > 256) throw new DurableHostError('InvalidRequest', 400, 'An instance id must be 1 to 256 characters long.');
    const input = checkedJson(options.input, 'The orchestration input');
    const existing = this.#instances.get(instanceId)?.head ?? (await this.#store.readHead(instanceId));
    if (existing && !TERMINAL.has(existing.status)) throw instanceAlreadyRunning(instanceId);
    if (existing) await this.#store.deletePartition(instanceId);
    const now = this.#clock.now().toISOString();
    const head: InstanceHead = {
      instanceId,
      name: orchestratorName,
      executionId: randomUUID(),
      status: 'Pending',
      input,
      createdTime: now,
      lastUpdatedTime: now,
      historyLength: 0,
    };
    await this.#createInstance(head);
    return instanceId;
  }

  async getStatus(instanceId: string, options: StatusOptions = {}): Promise<InstanceStatus | undefined> {
    const instance = this.#instances.get(instanceId);
    const head = instance?.head ?? (await this.#store.readHead(instanceId));
    if (!head) return undefined;
    let history: readonly HistoryEvent[] | undefined;
    if (options.showHistory) history = instance ? instance.history : (await this.#store.loadPartition(instanceId)).history;
    return statusOf(head, options, history);
  }

  async rawHistory(instanceId: string): Promise<readonly HistoryEvent[]> {
    const instance = this.#instances.get(instanceId);
    return instance ? [...instance.history] : (await this.#store.loadPartition(instanceId)).history;
  }

  async query(query: InstanceQuery = {}): Promise<InstancePage> {
    const pageSize = Math.max(1, Math.min(1000, query.pageSize ?? 100));
    const page = await this.#store.queryIndex(indexFilter(query), pageSize, query.continuationToken);
    const statuses = await Promise.all(page.rows.map((row) => this.getStatus(row.instanceId, { showInput: query.showInput ?? true })));
    const wanted = query.runtimeStatus && query.runtimeStatus.length > 0 ? new Set(query.runtimeStatus) : undefined;
    const instances = statuses.filter((status): status is InstanceStatus => status !== undefined && (!wanted || wanted.has(status.runtimeStatus)));
    return { instances, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
  }

  async raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void> {
    const instance = await this.#runningInstance(instanceId);
    const input = eventData === undefined ? null : checkedJson(eventData, `The data of event '${eventName}'`);
    await this.#send(instance.head.instanceId, {
      id: newMessageId('event', randomUUID()),
      kind: 'event',
      event: { EventType: EventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: this.#clock.now().toISOString(), Name: eventName, Input: input },
    });
  }

  async terminate(instanceId: string, reason?: string): Promise<void> {
    await this.#control(instanceId, 'terminate', reason);
  }
  async suspend(instanceId: string, reason?: string): Promise<void> {
    await this.#control(instanceId, 'suspend', reason);
  }
  async resume(instanceId: string, reason?: string): Promise<void> {
    await this.#control(instanceId, 'resume', reason);
  }

  async purge(instanceId: string): Promise<number> {
    const head = this.#instances.get(instanceId)?.head ?? (await this.#store.readHead(instanceId));
    // Only finished instances are purged, as in Azure; a running one reports nothing deleted.
    if (!head || !TERMINAL.has(head.status)) return 0;
    this.#instances.delete(instanceId);
    await this.#store.deletePartition(instanceId);
    return 1;
  }

  async purgeBy(filter: InstanceFilter): Promise<number> {
    const statuses = (filter.runtimeStatus && filter.runtimeStatus.length > 0 ? filter.runtimeStatus : [...TERMINAL]).filter((status) => TERMINAL.has(status));
    if (statuses.length === 0) return 0;
    const ids: string[] = [];
    for await (const row of this.#store.allIndexRows(indexFilter({ ...filter, runtimeStatus: statuses }))) ids.push(row.instanceId);
    let deleted = 0;
    await forEachLimited(ids, 8, async (instanceId) => {
      // Read the count after the await: `deleted += await ...` would add to a stale value under concurrency.
      const removed = await this.purge(instanceId);
      deleted += removed;
    });
    return deleted;
  }

  async waitForIdle(options: { timeoutInMs?: number } = {}): Promise<void> {
    const timeout = options.timeoutInMs ?? 300_000;
    await withTimeout(
      new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
        this.#scheduleIdleCheck();
      }),
      timeout,
      () => `The durable engine did not become idle within ${timeout} ms (${this.#describeActivity()}).`,
    );
  }

  async waitForCompletion(instanceId: string, options: { timeoutInMs?: number } = {}): Promise<InstanceStatus> {
    const timeout = options.timeoutInMs ?? 300_000;
    const instance = this.#instances.get(instanceId);
    if (!instance) {
      const status = await this.getStatus(instanceId);
      if (!status) throw instanceNotFound(instanceId);
      if (TERMINAL.has(status.runtimeStatus)) return status;
      // Not in memory yet not finished: the engine has not started (or the row is in flux); poll.
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        await delay(50);
        if (this.#instances.has(instanceId)) return this.waitForCompletion(instanceId, { timeoutInMs: deadline - Date.now() });
        const again = await this.getStatus(instanceId);
        if (again && TERMINAL.has(again.runtimeStatus)) return again;
      }
      throw new Error(`Instance '${instanceId}' did not finish within ${timeout} ms.`);
    }
    return withTimeout(
      new Promise<InstanceStatus>((resolve) => instance.waiters.push(resolve)),
      timeout,
      () => `Instance '${instanceId}' did not finish within ${timeout} ms; it is ${instance.head.status}.`,
    );
  }

  // ---------------------------------------------------------------------------------------------- dispatch

  async #runningInstance(instanceId: string): Promise<LoadedInstance> {
    const instance = this.#instances.get(instanceId);
    if (instance && !TERMINAL.has(instance.head.status)) return instance;
    const head = instance?.head ?? (await this.#store.readHead(instanceId));
    if (!head) throw instanceNotFound(instanceId);
    throw instanceNotRunning(instanceId, head.status);
  }

  async #control(instanceId: string, kind: 'terminate' | 'suspend' | 'resume', reason: string | undefined): Promise<void> {
    await this.#runningInstance(instanceId);
    await this.#send(instanceId, { id: newMessageId(kind, randomUUID()), kind, ...(reason !== undefined ? { reason } : {}) });
  }

  /** Makes a message durable, then hands it to the instance. Messages to finished or unknown instances are dropped. */
  async #send(instanceId: string, message: InboxMessage): Promise<void> {
    const target = this.#instances.get(instanceId);
    if (!target || TERMINAL.has(target.head.status)) return;
    await this.#store.writeMessage(instanceId, message);
    const instance = this.#instances.get(instanceId);
    if (!instance || TERMINAL.has(instance.head.status)) return;
    instance.pending.push(message);
    instance.firstPendingAtMs ??= Date.now();
    this.#markReady(instance);
  }

  #consumable(instance: LoadedInstance, message: InboxMessage): boolean {
    if (message.kind !== 'event') return true;
    if (message.forExecution !== undefined && message.forExecution !== instance.head.executionId) return false;
    return instance.head.status !== 'Suspended';
  }

  #markReady(instance: LoadedInstance): void {
    if (!this.#started || this.#stopping || instance.busy || instance.reloading || TERMINAL.has(instance.head.status)) return;
    if (this.#instances.get(instance.head.instanceId) !== instance) return;
    const starting = instance.head.historyLength === 0;
    const consumable = instance.pending.filter((message) => this.#consumable(instance, message));
    if (!starting && consumable.length === 0) return;
    // Give the rest of a fan-out a moment to complete so that one replay takes many completions.
    const onlyCompletions = consumable.every((message) => message.kind === 'event');
    if (!starting && onlyCompletions && instance.activitiesInFlight > 0 && instance.firstPendingAtMs !== undefined) {
      const waitMs = instance.firstPendingAtMs + COMPLETION_COALESCING_MS - Date.now();
      if (waitMs > 0) {
        if (!instance.deferTimer) {
          instance.deferTimer = setTimeout(() => {
            instance.deferTimer = undefined;
            this.#markReady(instance);
          }, waitMs);
        }
        return;
      }
    }
    this.#ready.add(instance);
    this.#pump();
  }

  #pump(): void {
    for (const instance of this.#ready) {
      if (this.#runningEpisodes >= MAX_CONCURRENT_EPISODES || this.#stopping) break;
      this.#ready.delete(instance);
      if (instance.busy) continue;
      instance.busy = true;
      this.#runningEpisodes += 1;
      clearTimeout(instance.deferTimer);
      instance.deferTimer = undefined;
      instance.firstPendingAtMs = undefined;
      void this.#runEpisode(instance)
        .catch((error: unknown) => this.#episodeFailed(instance, error))
        .finally(() => {
          instance.busy = false;
          this.#runningEpisodes -= 1;
          if (instance.pending.length > 0) instance.firstPendingAtMs ??= Date.now();
          this.#markReady(instance);
          this.#pump();
          this.#scheduleIdleCheck();
        });
    }
    this.#scheduleIdleCheck();
  }

  /**
   * Storage failed mid-episode: the in-memory state may be ahead of the table, so reload it from there. The old
   * object stays registered (and reloading) meanwhile, so messages sent in between are kept, not dropped.
   */
  #episodeFailed(instance: LoadedInstance, error: unknown): void {
    const instanceId = instance.head.instanceId;
    this.#log('error', `Episode of '${instanceId}' failed and will be retried from storage: ${error instanceof Error ? error.message : String(error)}`);
    instance.reloading = true;
    this.#track(
      (async () => {
        for (let attempt = 1; !this.#stopping; attempt++) {
          await delay(Math.min(500 * attempt, 5000));
          try {
            const partition = await this.#store.loadPartition(instanceId);
            if (this.#instances.get(instanceId) !== instance) return;
            if (!partition.head) {
              this.#instances.delete(instanceId);
              return;
            }
            const reloaded = loadedInstance(partition.head, partition.history, partition.messages);
            const known = new Set(reloaded.pending.map((message) => message.id));
            reloaded.pending.push(...instance.pending.filter((message) => !known.has(message.id)));
            reloaded.waiters.push(...instance.waiters);
            this.#instances.set(instanceId, reloaded);
            if (TERMINAL.has(reloaded.head.status)) {
              this.#finished(reloaded);
              return;
            }
            this.#resumeOpenWork(reloaded);
            this.#markReady(reloaded);
            return;
          } catch (reloadError) {
            this.#log('error', `Reloading '${instanceId}' failed (attempt ${attempt}): ${reloadError instanceof Error ? reloadError.message : String(reloadError)}`);
          }
        }
      })(),
    );
  }

  // ---------------------------------------------------------------------------------------------- episodes

  async #runEpisode(instance: LoadedInstance): Promise<void> {
    const head = instance.head;
    if (TERMINAL.has(head.status)) return;
    const taken = instance.pending;
    instance.pending = [];
    const consumed: string[] = [];
    const kept: InboxMessage[] = [];
    const control: { type: number; reason?: string }[] = [];
    const inbound: HistoryEvent[] = [];
    let suspended = head.status === 'Suspended';
    let terminateReason: string | undefined;
    let terminating = false;
    const raisedAlready = new Set(instance.history.filter((event) => typeof event.MessageId === 'string').map((event) => event.MessageId as string));
    const takenTaskIds = new Set<number>();

    for (const message of taken) {
      if (terminating) {
        consumed.push(message.id);
        continue;
      }
      if (message.kind !== 'event') {
        consumed.push(message.id);
        if (message.kind === 'terminate') {
          terminating = true;
          terminateReason = message.reason;
        } else if (message.kind === 'suspend' && !suspended) {
          suspended = true;
          control.push({ type: EventType.ExecutionSuspended, ...(message.reason !== undefined ? { reason: message.reason } : {}) });
        } else if (message.kind === 'resume' && suspended) {
          suspended = false;
          control.push({ type: EventType.ExecutionResumed, ...(message.reason !== undefined ? { reason: message.reason } : {}) });
        }
        continue;
      }
      if (message.forExecution !== undefined && message.forExecution !== head.executionId) {
        kept.push(message);
        continue;
      }
      if (suspended) {
        kept.push(message); // buffered until resumed
        continue;
      }
      consumed.push(message.id);
      if (message.executionId !== undefined && message.executionId !== head.executionId) continue; // an earlier execution's
      const event = message.event;
      if (event.EventType === EventType.EventRaised) {
        if (!raisedAlready.has(message.id)) inbound.push({ ...event, MessageId: message.id });
        continue;
      }
      const taskId = completedTaskId(event);
      // Duplicates (an activity re-run after a crash) and strays (an episode lost in a crash) are dropped here.
      if (taskId === undefined || takenTaskIds.has(taskId) || !instance.ledger.accepts(event)) continue;
      takenTaskIds.add(taskId);
      inbound.push(event);
    }
    instance.pending = [...kept, ...instance.pending];

    const nowMs = this.#episodeTimeMs(instance, inbound);
    const timestamp = new Date(nowMs).toISOString();
    const event = (type: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent => ({
      EventType: type,
      EventId: eventId,
      IsPlayed: false,
      Timestamp: timestamp,
      ...fields,
    });
    const controlEvents = control.map((item) => event(item.type, item.reason !== undefined ? { Reason: item.reason } : {}));

    if (terminating) {
      const output = toJsonText(terminateReason ?? null);
      await this.#commit(instance, {
        events: [...controlEvents, event(EventType.ExecutionTerminated, { Input: output })],
        consumed,
        head: { ...head, status: 'Terminated', output, lastUpdatedTime: timestamp },
      });
      return;
    }

    const starting = head.historyLength === 0;
    if (!starting && inbound.length === 0) {
      if (controlEvents.length > 0 || consumed.length > 0) {
        const status: RuntimeStatus = suspended ? 'Suspended' : head.status === 'Suspended' ? 'Running' : head.status;
        await this.#commit(instance, { events: controlEvents, consumed, head: { ...head, status, lastUpdatedTime: timestamp } });
      }
      return;
    }

    // The events that make the SDK allocate ids go first (see task-ledger.ts).
    const now = new Date(nowMs);
    const allocating = inbound.filter((item) => instance.ledger.isAllocating(item, now));
    const ordered = [...allocating, ...inbound.filter((item) => !allocating.includes(item))];
    const newEvents: HistoryEvent[] = [event(EventType.OrchestratorStarted)];
    if (starting) {
      newEvents.push(
        event(EventType.ExecutionStarted, {
          Name: head.name,
          Input: head.input,
          OrchestrationInstance: { InstanceId: head.instanceId, ExecutionId: head.executionId },
          ...(head.parent ? { ParentInstance: { OrchestrationInstance: { InstanceId: head.parent.instanceId, ExecutionId: head.parent.executionId }, TaskScheduleId: head.parent.taskId } } : {}),
        }),
      );
    }
    newEvents.push(...controlEvents);
    const work: ScheduledWork[] = [];
    for (const item of ordered) {
      work.push(...instance.ledger.applyInbound(item, now));
      newEvents.push({ ...item, EventId: -1, IsPlayed: false });
    }

    let failure: FailureDetails | undefined;
    let output: string | undefined;
    let customStatus: unknown;
    let continueAsNew: { input: unknown } | undefined;
    let newLeaves: LeafRecord[] = [];
    const handler = this.#orchestrators.get(head.name);
    if (!handler) {
      failure = { ErrorType: 'UnknownOrchestrator', ErrorMessage: `The app registers no orchestrator named '${head.name}'; it may have been renamed since this instance started.`, IsNonRetriable: true };
    } else {
      const outcome = await invokeOrchestrator(handler, {
        functionName: head.name,
        instanceId: head.instanceId,
        ...(head.parent ? { parentInstanceId: head.parent.instanceId } : {}),
        input: parseJsonText(head.input),
        history: [...instance.history, ...newEvents],
        log: this.#log,
      });
      customStatus = outcome.customStatus;
      if (outcome.kind === 'failed') {
        failure = outcome.failure;
      } else {
        const read = readActions(outcome.actions);
        if (read.unsupported) {
          failure = {
            ErrorType: 'UnsupportedAction',
            ErrorMessage: `Orchestrator '${head.name}' used ${read.unsupported.description} (action type ${read.unsupported.actionType}), which the local host does not support. Run this orchestration on Azure or with the Azure Functions Core Tools.`,
            IsNonRetriable: true,
          };
        } else {
          try {
            const decided = instance.ledger.applyActions(read, now, outcome.isDone);
            if (outcome.isDone && read.continueAsNew) continueAsNew = read.continueAsNew;
            else if (outcome.isDone) output = toJsonText(outcome.output);
            else {
              work.push(...decided.work);
              newLeaves = decided.newLeaves;
            }
          } catch (error) {
            if (!(error instanceof NonDeterminismError)) throw error;
            failure = { ErrorType: error.code, ErrorMessage: error.message, IsNonRetriable: true };
          }
        }
      }
    }

    const customStatusText = customStatus === undefined ? undefined : JSON.stringify(customStatus);
    const tooLarge = [output, customStatusText].find((text) => text !== undefined && text.length > MAX_VALUE_LENGTH);
    if (tooLarge !== undefined && !failure) {
      failure = { ErrorType: 'ValueTooLarge', ErrorMessage: `The orchestration output or custom status is ${tooLarge.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true };
    }
    const keptCustomStatus = customStatusText !== undefined && customStatusText.length <= MAX_VALUE_LENGTH ? customStatusText : undefined;

    if (continueAsNew && !failure) {
      const input = JSON.stringify(continueAsNew.input) ?? 'null';
      if (input.length <= MAX_VALUE_LENGTH) {
        await this.#continueAsNew(instance, [...instance.history, ...newEvents], input, keptCustomStatus, consumed, timestamp);
        return;
      }
      failure = { ErrorType: 'ValueTooLarge', ErrorMessage: `The continueAsNew input is ${input.length} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true };
    }

    const running = !failure && output === undefined;
    const scheduling: HistoryEvent[] = [];
    const children: { work: Extract<ScheduledWork, { type: 'subOrchestration' }>; instanceId: string }[] = [];
    if (running) {
      for (const item of work) {
        if (item.type === 'activity') {
          scheduling.push(event(EventType.TaskScheduled, { Name: item.name, Input: toJsonText(item.input), Leaf: item.leaf }, item.id));
        } else if (item.type === 'timer') {
          scheduling.push(event(EventType.TimerCreated, { FireAt: item.fireAt.toISOString(), Leaf: item.leaf }, item.id));
        } else {
          const childId = item.instanceId ?? `${head.instanceId}:${item.id}`;
          children.push({ work: item, instanceId: childId });
          scheduling.push(event(EventType.SubOrchestrationInstanceCreated, { Name: item.name, InstanceId: childId, Input: toJsonText(item.input), Leaf: item.leaf }, item.id));
        }
      }
      const oversized = scheduling.find((item) => typeof item.Input === 'string' && item.Input.length > MAX_VALUE_LENGTH);
      if (oversized) {
        failure = { ErrorType: 'ValueTooLarge', ErrorMessage: `The input of '${String(oversized.Name)}' is ${String((oversized.Input as string).length)} characters of JSON; the local host stores at most ${MAX_VALUE_LENGTH}.`, IsNonRetriable: true };
      }
    }

    let status: RuntimeStatus = suspended ? 'Suspended' : 'Running';
    const closing: HistoryEvent[] = [];
    if (failure) {
      status = 'Failed';
      output = toJsonText(`Orchestrator function '${head.name}' failed: ${failure.ErrorMessage}`);
      closing.push(event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Failed', Result: output, FailureDetails: failure }));
    } else if (output !== undefined) {
      status = 'Completed';
      closing.push(event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Completed', Result: output }));
    }
    const persisted = [
      ...newEvents,
      ...(status === 'Failed' ? [] : scheduling),
      ...closing,
      event(EventType.OrchestratorCompleted, newLeaves.length > 0 && status !== 'Failed' ? { NewLeaves: newLeaves } : {}),
    ];
    try {
      await this.#commit(instance, {
        events: persisted,
        consumed,
        head: {
          ...head,
          status,
          ...(output !== undefined ? { output } : {}),
          customStatus: keptCustomStatus,
          ...(failure ? { failure } : {}),
          lastUpdatedTime: timestamp,
        },
      });
    } catch (error) {
      // Nothing was written (rows are packed before the first request): fail the instance instead of retrying
      // an episode that can never be stored.
      if (!(error instanceof ValueTooLargeError)) throw error;
      const tooLargeFailure: FailureDetails = { ErrorType: error.code, ErrorMessage: error.message, IsNonRetriable: true };
      const failedOutput = toJsonText(`Orchestrator function '${head.name}' failed: ${error.message}`);
      await this.#commit(instance, {
        events: [
          event(EventType.OrchestratorStarted),
          event(EventType.ExecutionCompleted, { OrchestrationStatus: 'Failed', Result: failedOutput, FailureDetails: tooLargeFailure }),
          event(EventType.OrchestratorCompleted),
        ],
        consumed,
        head: { ...head, status: 'Failed', output: failedOutput, failure: tooLargeFailure, lastUpdatedTime: timestamp },
      });
      return;
    }
    if (status === 'Failed' || status === 'Completed') return;

    for (const item of work) {
      if (item.type === 'activity') this.#activityDispatcher.enqueue(instance, { instanceId: head.instanceId, executionId: head.executionId, id: item.id, name: item.name, input: item.input });
      else if (item.type === 'timer') this.#timers.arm(head.instanceId, head.executionId, item.id, item.fireAt.getTime());
    }
    for (const child of children) this.#track(this.#subOrchestrations.createChild(instance.head, child.work.id, child.work.name, child.work.input, child.instanceId));
  }

  #episodeTimeMs(instance: LoadedInstance, inbound: readonly HistoryEvent[]): number {
    // Monotonic, and never before a timer that fires in it: the SDK's long timers loop forever otherwise.
    let nowMs = Math.max(this.#clock.nowMs(), instance.lastEpisodeMs + 1);
    for (const item of inbound) {
      if (item.EventType === EventType.TimerFired && typeof item.FireAt === 'string') nowMs = Math.max(nowMs, Date.parse(item.FireAt));
    }
    return nowMs;
  }

  async #commit(instance: LoadedInstance, episode: { events: HistoryEvent[]; consumed: string[]; head: InstanceHead }): Promise<void> {
    const previous = instance.head;
    const head: InstanceHead = { ...episode.head, historyLength: previous.historyLength + episode.events.length };
    if (head.customStatus === undefined) delete (head as { customStatus?: string }).customStatus;
    await this.#store.commitEpisode({ head, fromSequence: previous.historyLength, newEvents: episode.events, consumedMessageIds: episode.consumed });
    instance.head = head;
    for (const item of episode.events) instance.history.push({ ...item, IsPlayed: true });
    const started = episode.events.find((item) => item.EventType === EventType.OrchestratorStarted);
    if (started) {
      instance.lastEpisodeMs = Date.parse(started.Timestamp);
      instance.episodes += 1;
      this.#episodeCount += 1;
    }
    this.#historyEvents += episode.events.length;
    if (previous.status !== head.status) this.#track(this.#store.writeIndex(indexRowOf(head)));
    if (TERMINAL.has(head.status)) this.#finished(instance);
  }

  async #continueAsNew(instance: LoadedInstance, history: readonly HistoryEvent[], input: string, customStatus: string | undefined, consumed: string[], timestamp: string): Promise<void> {
    const previous = instance.head;
    const executionId = randomUUID();
    // Events nobody waited for travel to the next execution, as in Durable Functions.
    const raisedByName = new Map<string, HistoryEvent[]>();
    for (const item of history) {
      if (item.EventType !== EventType.EventRaised) continue;
      const name = String(item.Name);
      raisedByName.set(name, [...(raisedByName.get(name) ?? []), item]);
    }
    const carried: InboxMessage[] = [];
    for (const [name, events] of raisedByName) {
      for (const item of events.slice(instance.ledger.waitCount(name))) {
        const { MessageId: _drop, ...rest } = item;
        carried.push({ id: newMessageId('carry', randomUUID()), kind: 'event', forExecution: executionId, event: { ...rest, IsPlayed: false } });
      }
    }
    const head: InstanceHead = {
      instanceId: previous.instanceId,
      name: previous.name,
      executionId,
      status: previous.status === 'Suspended' ? 'Suspended' : 'Running',
      input,
      ...(customStatus !== undefined ? { customStatus } : {}),
      createdTime: previous.createdTime,
      lastUpdatedTime: timestamp,
      historyLength: 0,
      ...(previous.parent ? { parent: previous.parent } : {}),
    };
    await this.#store.commitEpisode({ head, fromSequence: 0, newEvents: [], consumedMessageIds: consumed, newMessages: carried });
    const oldRows = history.map((_item, index) => `h:${previous.executionId}:${String(index).padStart(8, '0')}`).slice(0, previous.historyLength);
    this.#track(this.#store.deleteRows(previous.instanceId, oldRows));
    instance.head = head;
    instance.history = [];
    instance.ledger = new TaskLedger();
    instance.pending = [...carried, ...instance.pending];
    instance.episodes += 1;
    this.#episodeCount += 1;
    if (previous.status !== head.status) this.#track(this.#store.writeIndex(indexRowOf(head)));
  }

  #finished(instance: LoadedInstance): void {
    const head = instance.head;
    this.#timers.cancelInstance(head.instanceId);
    clearTimeout(instance.deferTimer);
    this.#finishedEpisodes.set(head.instanceId, instance.episodes);
    // Diagnostics only: keep the most recent finished instances, not every one since start.
    if (this.#finishedEpisodes.size > 10_000) this.#finishedEpisodes.delete(this.#finishedEpisodes.keys().next().value!);
    // Finished instances live in the table only; late messages for them are dropped by #send.
    if (this.#instances.get(head.instanceId) === instance) this.#instances.delete(head.instanceId);
    this.#ready.delete(instance);
    const status = statusOf(head, {}, undefined);
    for (const waiter of instance.waiters.splice(0)) waiter(status);
    if (head.parent) this.#track(this.#subOrchestrations.notifyParent(head));
  }

  // ---------------------------------------------------------------------------------------------- registry

  async #createInstance(head: InstanceHead): Promise<void> {
    // Index first: recovery walks the index, and an index row without a head is simply dropped.
    await this.#store.writeIndexNow(indexRowOf(head));
    await this.#store.writeHead(head);
    const instance = loadedInstance(head, [], []);
    this.#instances.set(head.instanceId, instance);
    this.#markReady(instance);
  }

  /** After a restart: every task the history scheduled and nothing completed yet runs (again). */
  #resumeOpenWork(instance: LoadedInstance): void {
    const head = instance.head;
    const answered = new Set<number>();
    for (const message of instance.pending) {
      if (message.kind === 'event' && message.executionId === head.executionId) {
        const id = completedTaskId(message.event);
        if (id !== undefined) answered.add(id);
      }
    }
    const scheduled = new Map<number, HistoryEvent>();
    for (const item of instance.history) {
      if (item.EventType === EventType.TaskScheduled || item.EventType === EventType.TimerCreated || item.EventType === EventType.SubOrchestrationInstanceCreated) scheduled.set(item.EventId, item);
    }
    for (const id of instance.ledger.openTaskIds()) {
      const item = scheduled.get(id);
      if (!item || answered.has(id)) continue;
      if (item.EventType === EventType.TaskScheduled) {
        this.#activityDispatcher.enqueue(instance, { instanceId: head.instanceId, executionId: head.executionId, id, name: String(item.Name), input: parseJsonText(item.Input) });
      } else if (item.EventType === EventType.TimerCreated) {
        this.#timers.arm(head.instanceId, head.executionId, id, Date.parse(String(item.FireAt)));
      } else {
        this.#track(this.#subOrchestrations.createChild(head, id, String(item.Name), parseJsonText(item.Input), String(item.InstanceId)));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- idleness

  #track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => this.#log('error', `Background work failed: ${error instanceof Error ? error.message : String(error)}`));
    this.#background.add(tracked);
    void tracked.finally(() => {
      this.#background.delete(tracked);
      this.#scheduleIdleCheck();
    });
  }

  #busy(): boolean {
    return (
      this.#ready.size > 0 ||
      this.#runningEpisodes > 0 ||
      this.#activityDispatcher.queued > 0 ||
      this.#activityDispatcher.running > 0 ||
      this.#background.size > 0 ||
      this.#store.writesInFlight > 0 ||
      [...this.#instances.values()].some((instance) => instance.deferTimer !== undefined)
    );
  }

  #describeActivity(): string {
    return `${this.#ready.size} ready, ${this.#runningEpisodes} episodes and ${this.#activityDispatcher.running} activities running, ${this.#activityDispatcher.queued} queued, ${this.#timers.size} timers`;
  }

  #scheduleIdleCheck(): void {
    if (this.#idleCheckScheduled) return;
    this.#idleCheckScheduled = true;
    setImmediate(() => {
      this.#idleCheckScheduled = false;
      if (this.#busy() || !this.#started) return;
      if (this.#clock.mode === 'virtual' && this.#timers.size > 0 && !this.#stopping) {
        // Nothing can happen before the next timer: skip to it.
        this.#timers.skipToNext();
        return;
      }
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }
}
