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
  type StartOptions,
  type StatusOptions,
} from './contract.js';
import { ActivityDispatcher } from './activity-dispatcher.js';
import { delay, forEachLimited, withTimeout } from './async-control.js';
import { checkedJson } from './checked-json.js';
import { DurableTimers } from './durable-timers.js';
import { EngineClock, type VirtualTimeSource } from './engine-clock.js';
import { EpisodeCommitter } from './episode-commit.js';
import { EpisodeRunner } from './episode-runner.js';
import { newExecutionId } from './execution-ids.js';
import { EventType, completedTaskId, parseJsonText, type HistoryEvent } from './history.js';
import { indexFilter, statusOf } from './instance-views.js';
import { TERMINAL, indexRowOf, loadedInstance, type LoadedInstance } from './loaded-instance.js';
import { SubOrchestrations } from './sub-orchestrations.js';
import { TaskHubLease, type TaskHubLeaseOptions } from './task-hub-lease.js';
import { DurableStore, newMessageId, type InboxMessage, type InstanceHead } from './table-store.js';

export { historyView } from './history-view.js';

/**
 * The durable engine of the local host: replays orchestrators registered through durable-functions, runs their
 * activities, timers and sub-orchestrations, and keeps everything in Table Storage so a killed process resumes.
 * Design and crash-safety argument: tools/functions-localhost/docs/durable-engine.md.
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

export type LocalDurableEngine = DurableEngine & DurableEngineDiagnostics & VirtualTimeline;

/** Options of this engine beyond the contract's. */
/** What the host adds to the contract: the virtual timeline shared with timer triggers. */
export interface VirtualTimeline {
  readonly clock: EngineClock;
  /** Lets `source` act on the virtual clock; the returned function asks the engine to look again (after a run). */
  addTimeSource(source: VirtualTimeSource): () => void;
}

export interface LocalDurableEngineOptions extends DurableEngineOptions {
  /** Task hub ownership (task-hub-lease.ts); tests shorten the expiry. */
  readonly lease?: TaskHubLeaseOptions;
}

export function createDurableEngine(options: LocalDurableEngineOptions): LocalDurableEngine {
  return new TableDurableEngine(options);
}

/**
 * The facade: client API, lifecycle and recovery, the registry of loaded instances, the episode pump and idle
 * tracking. Episodes (episode-runner.ts, episode-commit.ts), activities (activity-dispatcher.ts), timers
 * (durable-timers.ts) and sub-orchestrations (sub-orchestrations.ts) are parts it owns and wires to its registry.
 */
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
  readonly #committer: EpisodeCommitter;
  readonly #episodeRunner: EpisodeRunner;
  readonly #background = new Set<Promise<unknown>>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #timeSources = new Set<VirtualTimeSource>();
  readonly #lease: TaskHubLease;
  #runningEpisodes = 0;
  #started = false;
  #stopping = false;
  #idleCheckScheduled = false;

  constructor(options: LocalDurableEngineOptions) {
    this.taskHubName = options.taskHubName;
    this.#store = new DurableStore(options.connectionString, options.taskHubName);
    this.#clock = new EngineClock(options.clock ?? 'real', options.clockStartMs);
    this.#log = options.log ?? (() => {});
    this.#lease = new TaskHubLease(this.#store.instances, options.taskHubName, options.lease ?? {}, (reason) => {
      // Another engine runs this hub now: running on would do its work twice.
      this.#log('error', `Durable engine '${this.taskHubName}' stops: ${reason}.`);
      void this.stop();
    });
    this.#timers = new DurableTimers({
      clock: this.#clock,
      isStopping: () => this.#stopping,
      deliver: (instanceId, message) => this.#track(this.#sendDurably(instanceId, message)),
    });
    this.#activityDispatcher = new ActivityDispatcher({
      activities: this.#activities,
      maxConcurrent: Math.max(1, options.maxConcurrentActivities ?? 10),
      clock: this.#clock,
      log: this.#log,
      isStopping: () => this.#stopping,
      instanceOf: (instanceId) => this.#instances.get(instanceId),
      send: (instanceId, message) => this.#sendDurably(instanceId, message),
      markReady: (instance) => this.#markReady(instance),
      scheduleIdleCheck: () => this.#scheduleIdleCheck(),
    });
    this.#subOrchestrations = new SubOrchestrations({
      store: this.#store,
      clock: this.#clock,
      hasOrchestrator: (name) => this.#orchestrators.has(name),
      loadedHead: (instanceId) => this.#instances.get(instanceId)?.head,
      send: (instanceId, message) => this.#sendDurably(instanceId, message),
      createInstance: (head) => this.#createInstance(head),
    });
    this.#committer = new EpisodeCommitter({
      store: this.#store,
      track: (promise) => this.#track(promise),
      log: this.#log,
      finished: (instance) => this.#finished(instance),
    });
    this.#episodeRunner = new EpisodeRunner({
      orchestrators: this.#orchestrators,
      clock: this.#clock,
      log: this.#log,
      committer: this.#committer,
      enqueueActivity: (instance, work) => this.#activityDispatcher.enqueue(instance, work),
      armTimer: (instanceId, executionId, id, fireAtMs) => this.#timers.arm(instanceId, executionId, id, fireAtMs),
      createChild: (parentHead, taskId, name, input, childId) => this.#track(this.#subOrchestrations.createChild(parentHead, taskId, name, input, childId)),
    });
  }

  get clock(): EngineClock {
    return this.#clock;
  }

  addTimeSource(source: VirtualTimeSource): () => void {
    this.#timeSources.add(source);
    return () => this.#scheduleIdleCheck();
  }

  get episodeCount(): number {
    return this.#committer.episodeCount;
  }
  get activityInvocationCount(): number {
    return this.#activityDispatcher.invocationCount;
  }
  get historyEventCount(): number {
    return this.#committer.historyEventCount;
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
    await this.#lease.acquire();
    try {
      await this.#recover();
    } catch (error) {
      await this.#lease.release();
      throw error;
    }
    this.#started = true;
    for (const instance of this.#instances.values()) this.#resumeOpenWork(instance);
    for (const instance of this.#instances.values()) this.#markReady(instance);
    this.#log('info', `Durable engine '${this.taskHubName}' started as ${this.#lease.owner}; recovered ${this.#instances.size} unfinished instance(s).`);
  }

  /** Loads every unfinished instance from the table. */
  async #recover(): Promise<void> {
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
    await this.#lease.release();
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
      executionId: newExecutionId(),
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

  /**
   * #send for results the engine itself produced (activity results, timer firings, child outcomes): nobody could
   * resend them, so a storage failure is retried with growing back-off until the write lands or the engine stops
   * (then the open task is redone after the restart). Without this, one failed write left the task open and the
   * instance stuck until the process restarted.
   */
  async #sendDurably(instanceId: string, message: InboxMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#send(instanceId, message);
        return;
      } catch (error) {
        if (this.#stopping) throw error;
        this.#log('error', `Could not record message '${message.id}' for '${instanceId}' (attempt ${attempt}; retrying): ${error instanceof Error ? error.message : String(error)}`);
        await delay(Math.min(500 * attempt, 5000));
      }
    }
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
      void this.#episodeRunner.run(instance)
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

  // ---------------------------------------------------------------------------------------------- registry

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
    // Logged between the commit and the parent's notification: a crash test kills the process on this line.
    this.#log('debug', `Instance '${head.instanceId}' finished: ${head.status}.`);
    const status = statusOf(head, {}, undefined);
    for (const waiter of instance.waiters.splice(0)) waiter(status);
    if (head.parent) this.#track(this.#subOrchestrations.notifyParent(head));
  }

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
      if (this.#busy() || !this.#started || [...this.#timeSources].some((source) => source.busy())) return;
      const nextTimer = this.#timers.nextFireAtMs;
      if (this.#clock.mode === 'virtual' && nextTimer !== undefined && !this.#stopping) {
        // Nothing can happen before the next timer: skip to it, letting a time source due first act first. Sources
        // alone never move the clock (a periodic trigger would run it on forever).
        const source = [...this.#timeSources].map((s) => ({ s, due: s.nextDueMs() })).filter((e) => e.due !== undefined && e.due <= nextTimer).sort((a, b) => a.due! - b.due!)[0];
        if (source !== undefined) {
          this.#clock.advanceTo(source.due!);
          source.s.fireDue();
          return;
        }
        this.#timers.skipToNext();
        return;
      }
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }
}
